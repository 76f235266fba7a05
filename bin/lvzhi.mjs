#!/usr/bin/env node
// lvzhi.mjs: the `lvzhi` command. Plain ESM so npx can run it; tsx loads the TypeScript it imports.
import { register } from 'tsx/esm/api';

register();
const { main } = await import('../cli/main.ts');
process.exitCode = await main(process.argv.slice(2));

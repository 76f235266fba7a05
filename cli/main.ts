// main.ts: `lvzhi validate`, `check`, `serve`, `backup`/`restore`, `admin`, `directory` and `verify`; returns the exit code.

import { checkFiles } from './check.ts';
import { validateFiles } from './validate.ts';

const USAGE = `usage:
  lvzhi validate [files…]   check workflows/, forms/ and calendars/ (or just the files given)
  lvzhi check [--db] [files…]
                            model-check every workflow: reachable ends, who can do each task, paths;
                            against the demo directory, or with --db this install's (DATA_DIR / DATABASE_URL)
  lvzhi serve [options]     start the web server (PORT, HOST, DATA_DIR from the environment);
                            --demo: demo accounts, --workers N: N processes on one port
  lvzhi backup <file>       copy the SQLite database to a new file, also while serving (DATA_DIR)
  lvzhi restore <file>      replace the SQLite database by a backup (stop the server first)
  lvzhi admin create <username> [--name 姓名] [--org 组织] [--rehearsal]
                            create an administrator on the configured database (DATA_DIR / DATABASE_URL)
  lvzhi admin reset-password <username>
                            set a new password, lift the login lock, end the user's sessions
  lvzhi directory import <files…> [--dry-run] [--sheet 名称]
                            import the directory (通讯录) from an .xlsx or .csv files: every row is
                            checked first; any bad row: all are listed and nothing is imported
  lvzhi directory template <file.xlsx>
                            write the blank import template
  lvzhi verify [--seal <digest>]
                            recompute every closed ballot's hash chain and tally against its seal
                            (DATA_DIR / DATABASE_URL); with --seal, check a digest printed on a result sheet`;

interface ServerModule {
  main(argv: string[]): Promise<unknown> | unknown;
}

export async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  switch (command) {
    case 'validate':
      return validateFiles(rest, { cwd: process.cwd(), out: process.stdout, err: process.stderr });
    case 'check':
      return checkFiles(rest, { cwd: process.cwd(), out: process.stdout, err: process.stderr });
    case 'backup':
    case 'restore': {
      // Loaded when asked for, so `validate` never pulls in the database drivers.
      const { backupCommand } = await import('./backup.ts');
      return backupCommand(command, rest, { env: process.env, out: process.stdout, err: process.stderr });
    }
    case 'admin': {
      const { adminCommand } = await import('./admin.ts');
      return adminCommand(rest, { env: process.env, out: process.stdout, err: process.stderr, stdin: process.stdin, prompt: process.stderr });
    }
    case 'directory': {
      const { directoryCommand } = await import('./directory.ts');
      return directoryCommand(rest, { env: process.env, cwd: process.cwd(), out: process.stdout, err: process.stderr });
    }
    case 'verify': {
      const { verifyCommand } = await import('./verify.ts');
      return verifyCommand(rest, { env: process.env, out: process.stdout, err: process.stderr });
    }
    case 'serve': {
      // A variable specifier: the server is loaded only when asked for, so `validate` never pulls in fastify.
      const spec = '../server/main.ts';
      const server = (await import(spec)) as ServerModule;
      await server.main(rest);
      return 0;
    }
    case undefined:
    case 'help':
    case '--help':
    case '-h':
      process.stdout.write(USAGE + '\n');
      return command === undefined ? 2 : 0;
    default:
      process.stderr.write(`unknown command "${command}"\n${USAGE}\n`);
      return 2;
  }
}

import Ajv from 'ajv';
import { workflowSchema } from '../engine/dsl/schema.ts';
const ajv = new Ajv({ allErrors: true, strict: true, allowUnionTypes: true, verbose: true });
const v = ajv.compile(workflowSchema);
console.log(v({id:'x', version:1, title:'t', roles:['a'], record:'r', initial:'a', states:{a:{final:true, on:{x:{to:'b', foo:1}, y: 'B', z:[{to:'c'}, 'q']}}, b:{task:{complete_when:'al'}}}}));
console.log(v.errors?.map(e=>[e.instancePath,e.keyword,e.message, JSON.stringify(e.params)]));

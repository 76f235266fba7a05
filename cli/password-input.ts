// password-input.ts: read a new password for `lvzhi admin`: twice, without echo, on a terminal;
// the first line of stdin otherwise (`echo "$PW" | npx lvzhi admin create name`, scripts, tests).

import { LvzError } from '../engine/errors.ts';

export interface PasswordIo {
  stdin: NodeJS.ReadStream;
  /** Where prompts go (stderr, so stdout stays the result). */
  prompt: NodeJS.WritableStream;
}

/** One line typed on a raw-mode terminal, echoing nothing; Ctrl-C aborts. */
function askHidden(io: PasswordIo, question: string): Promise<string> {
  io.prompt.write(question);
  const input = io.stdin;
  input.setRawMode(true);
  input.resume();
  input.setEncoding('utf8');
  return new Promise((resolve, reject) => {
    let typed = '';
    const done = (fn: () => void): void => {
      input.off('data', onData);
      input.setRawMode(false);
      input.pause();
      io.prompt.write('\n');
      fn();
    };
    const onData = (chunk: string): void => {
      for (const ch of chunk) {
        if (ch === '\r' || ch === '\n') return done(() => resolve(typed));
        if (ch === '\u0003') return done(() => reject(new Error('已取消')));
        if (ch === '\u007f' || ch === '\b') typed = [...typed].slice(0, -1).join('');
        else if (ch >= ' ') typed += ch;
      }
    };
    input.on('data', onData);
  });
}

async function firstLine(stdin: NodeJS.ReadStream): Promise<string> {
  let text = '';
  for await (const chunk of stdin) {
    text += String(chunk);
    if (text.includes('\n') || text.length > 4096) break;
  }
  return text.split(/\r?\n/)[0] ?? '';
}

/** The new password, checked by `check` (which throws) before it is asked a second time. */
export async function readPassword(io: PasswordIo, check: (password: string) => void): Promise<string> {
  if (!io.stdin.isTTY) {
    const p = await firstLine(io.stdin);
    if (!p) throw new LvzError('LVZ_AUTH_WEAK_PASSWORD', '没有读到密码：请在终端运行以便输入，或从标准输入传入一行密码（echo "密码" | npx lvzhi admin …）', {});
    check(p);
    return p;
  }
  for (let attempt = 0; attempt < 3; attempt++) {
    const p = await askHidden(io, '新密码（至少 12 个字符，输入时不显示）：');
    try {
      check(p);
    } catch (e) {
      io.prompt.write(`${(e as Error).message}\n`);
      continue;
    }
    if ((await askHidden(io, '再输入一次：')) === p) return p;
    io.prompt.write('两次输入的密码不一致，请重新输入\n');
  }
  throw new LvzError('LVZ_AUTH_WEAK_PASSWORD', '三次都没有设好密码，未做任何修改：请重新运行命令', {});
}

// password-policy.ts: the one password rule of lvzhi (OWASP ASVS 4.0 L2, V2.1): at least 12
// characters, at most 128, not the user name, not a commonly used password. Composition rules
// (must contain a digit …) are deliberately absent: ASVS 2.1.9 forbids them. Every place that
// sets a password (lvzhi admin create / reset-password, later the settings page) asks this.

export const MIN_LENGTH = 12;
export const MAX_LENGTH = 128;

// Passwords that lead the leaked-password lists (and the Chinese ones among them) and pass the
// length rule; a short list by design: the length rule does most of the work.
const COMMON = new Set([
  '123456789012', '1234567890123', '12345678901234', '123456123456', '111111111111', '000000000000',
  '123123123123', 'qwertyuiopas', 'qwerty123456', '1qaz2wsx3edc', '1q2w3e4r5t6y', 'passwordpassword',
  'password1234', 'password123456', 'p@ssw0rd1234', 'admin1234567', 'admin123456789', 'administrator',
  'iloveyou1234', 'woaini1314520', 'woaini520520', 'abc123456789', 'abcd12345678', 'a123456789012',
  'qwe123456789', 'aa1234567890', 'zxcvbnm12345', 'asdfghjkl123', '147258369147', '987654321098',
  'lvzhi2026lvzhi', 'lvzhilvzhi12', 'renda1234567', 'rendachangwei',
]);

/** What is wrong with the password, in zh-CN, or undefined when it may be used. */
export function passwordProblem(password: string, username: string): string | undefined {
  const chars = [...password.normalize('NFC')].length;
  if (chars < MIN_LENGTH) return `密码太短：至少 ${MIN_LENGTH} 个字符（现在 ${chars} 个）。建议用一句好记的话或几个词连起来`;
  if (chars > MAX_LENGTH) return `密码太长：最多 ${MAX_LENGTH} 个字符`;
  const lower = password.toLowerCase();
  if (username && lower.includes(username.toLowerCase())) return '密码不能包含用户名：请换一个别人猜不到的密码';
  if (COMMON.has(lower) || /^(.)\1+$/.test(password)) return '这是常见密码或同一字符的重复，很容易被猜中：请换一个';
  return undefined;
}

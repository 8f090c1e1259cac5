// Passwords of 12+ characters that top breach lists (e.g. SecLists' most common) and
// keyboard walks; a password equal to one of these (case-insensitively) is refused.
export const COMMON_PASSWORDS = new Set([
  '123456789012', '1234567890123', '12345678901234', '123123123123', '111111111111', '000000000000',
  '123456123456', '987654321987', '121212121212', '112233445566', '147258369147', '1q2w3e4r5t6y',
  'password1234', 'password123!', 'password12345', 'passwordpassword', 'password1password', 'p@ssw0rd1234',
  'qwertyuiopas', 'qwertyuiop12', 'qwerty123456', 'qwertyqwerty', '1qaz2wsx3edc', 'qazwsxedcrfv',
  'asdfghjkl123', 'zxcvbnm12345', 'iloveyou1234', 'letmein12345', 'welcome12345', 'welcome123456',
  'administrator', 'administrator1', 'admin1234567', 'adminadmin12', 'changeme1234', 'changemenow!',
  'trustno1trustno1', 'football1234', 'baseball1234', 'sunshine1234', 'princess1234', 'monkey123456',
  'dragon123456', 'master123456', 'superman1234', 'starwars1234', 'whatever1234', 'michael12345',
  'testtesttest', 'test12345678', 'abc123456789', 'abcdefghijkl', 'abcd12345678', 'aaaaaaaaaaaa',
  'correcthorsebatterystaple', 'testimonyledger', 'testimony-ledger', 'ledger123456',
]);

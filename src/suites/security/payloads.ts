/** Attack strings of the four families, each short enough for any name field. */
export const PAYLOADS: { family: string; value: string }[] = [
  { family: 'sql', value: "' OR '1'='1" },
  { family: 'sql', value: "'; DROP TABLE datasets; --" },
  { family: 'sql', value: "1'; SELECT pg_sleep(5); --" },
  { family: 'sql', value: '" OR ""="' },
  { family: 'xss', value: '<script>alert(1)</script>' },
  { family: 'xss', value: '"><img src=x onerror=alert(1)>' },
  { family: 'path', value: '../../../../etc/passwd' },
  { family: 'path', value: '..\\..\\..\\windows\\win.ini' },
  { family: 'command', value: '; cat /etc/passwd' },
  { family: 'command', value: '$(id)' },
  { family: 'command', value: '`id` | nc 127.0.0.1 1' },
  // biome-ignore lint/suspicious/noTemplateCurlyInString: the payload is a template-injection probe
  { family: 'template', value: '{{7*7}}${7*7}' },
];

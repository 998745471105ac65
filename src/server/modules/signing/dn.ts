/**
 * One attribute of a distinguished name as Node's X509Certificate writes it ("C=VN\nO=…\nCN=…") or as
 * the views show it ("C=VN, O=…, CN=…"); null when the name has none.
 */
export function dnField(dn: string, name: 'CN' | 'O'): string | null {
  return new RegExp(`(?:^|\\n|, )${name}=([^\\n,]+)`).exec(dn)?.[1] ?? null;
}

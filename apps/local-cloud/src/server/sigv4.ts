/** What local-cloud reads from a SigV4 `Authorization` header: it accepts any key, but only signed requests. */
export interface SigV4Scope {
  accessKeyId: string;
  region: string;
  service: string;
}

const AUTH =
  /^AWS4-HMAC-SHA256\s+Credential=([^/\s,]+)\/(\d{8})\/([^/\s,]+)\/([^/\s,]+)\/aws4_request\s*,\s*SignedHeaders=[^,\s]+\s*,\s*Signature=[0-9a-f]+\s*$/;

/** The credential scope of a signed request, or undefined when the request is not SigV4-signed. */
export function parseSigV4(authorization: string | undefined): SigV4Scope | undefined {
  if (!authorization) return undefined;
  const m = AUTH.exec(authorization.trim());
  if (!m) return undefined;
  return { accessKeyId: m[1]!, region: m[3]!, service: m[4]! };
}

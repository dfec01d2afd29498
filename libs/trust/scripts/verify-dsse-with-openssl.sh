#!/usr/bin/env bash
# Verifies a shipgate DSSE envelope with nothing of shipgate: jq, base64 and OpenSSL.
#   verify-dsse-with-openssl.sh ENVELOPE.json PUBLIC_KEY.pem [SIGNATURE_INDEX]
# Builds PAE(payloadType, payload) = "DSSEv1 <len> <type> <len> <payload>" from the envelope itself,
# then checks the signature: Ed25519 with `openssl pkeyutl -rawin`, ECDSA with `openssl dgst -sha256`.
# Prints the statement's predicateType and subject digest on success; exits non-zero otherwise.
set -euo pipefail
export LC_ALL=C
envelope=$1 key=$2 index=${3:-0}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

type=$(jq -er .payloadType "$envelope")
jq -er .payload "$envelope" | base64 -d > "$work/payload"
jq -er ".signatures[$index].sig" "$envelope" | base64 -d > "$work/sig"
{ printf 'DSSEv1 %d %s %d ' "${#type}" "$type" "$(wc -c < "$work/payload")"; cat "$work/payload"; } > "$work/pae"

if openssl pkey -pubin -in "$key" -noout -text 2>/dev/null | grep -q '^ED25519'; then
  openssl pkeyutl -verify -pubin -inkey "$key" -rawin -in "$work/pae" -sigfile "$work/sig" > /dev/null
else
  openssl dgst -sha256 -verify "$key" -signature "$work/sig" "$work/pae" > /dev/null
fi
jq -r '"\(.predicateType) sha256:\(.subject[0].digest.sha256)"' "$work/payload"

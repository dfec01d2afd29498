#!/usr/bin/env bash
# Verifies a person's signature on a shipgate DSSE envelope with stock OpenSSH, python3 (for JSON) and base64.
#   verify-dsse-with-ssh-keygen.sh ENVELOPE.json ALLOWED_SIGNERS PRINCIPAL [NAMESPACE] [SIGNATURE_INDEX]
# Rebuilds PAE(payloadType, payload), armors the SSHSIG blob the envelope carries and runs
# `ssh-keygen -Y verify`; prints its verdict and exits with its status.
set -euo pipefail
export LC_ALL=C
envelope=$1 allowed=$2 principal=$3 namespace=${4:-shipgate-approval} index=${5:-0}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
# JSON fields through python3 (on every machine shipgate supports; jq is not).
field() { python3 -c 'import json, sys; v = json.load(open(sys.argv[1])); [v := v[int(k) if k.isdigit() else k] for k in sys.argv[2].split(".")]; print(v)' "$1" "$2"; }

type=$(field "$envelope" payloadType)
field "$envelope" payload | base64 -d > "$work/payload"
{ printf 'DSSEv1 %d %s %d ' "${#type}" "$type" "$(wc -c < "$work/payload")"; cat "$work/payload"; } > "$work/pae"
{
  echo '-----BEGIN SSH SIGNATURE-----'
  field "$envelope" "signatures.$index.sig" | base64 -d | base64 -w 70
  echo '-----END SSH SIGNATURE-----'
} > "$work/pae.sig"
ssh-keygen -Y verify -f "$allowed" -I "$principal" -n "$namespace" -s "$work/pae.sig" < "$work/pae"

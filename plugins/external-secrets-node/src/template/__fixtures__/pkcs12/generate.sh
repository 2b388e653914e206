#!/usr/bin/env bash
# Regenerates the PKCS#12 test vectors of eso/pkcs12.test.ts with openssl
# (test-only keys: a CA, a leaf it signs, and the leaf + CA as PKCS#12 bundles).
set -euo pipefail
cd "$(dirname "$0")"
openssl req -x509 -newkey rsa:2048 -nodes -keyout ca.key -out ca.crt -days 36500 -subj "/CN=test-ca"
openssl req -newkey rsa:2048 -nodes -keyout leaf.key -out leaf.csr -subj "/CN=leaf.example" \
  -addext "subjectAltName=DNS:leaf.example,IP:10.0.0.1"
openssl x509 -req -in leaf.csr -CA ca.crt -CAkey ca.key -CAcreateserial -copy_extensions copy \
  -out leaf.crt -days 36500
openssl pkcs12 -export -inkey leaf.key -in leaf.crt -certfile ca.crt -passout pass: -out nopass.p12
openssl pkcs12 -export -inkey leaf.key -in leaf.crt -certfile ca.crt -passout pass:s3cret -out pass.p12
rm -f leaf.csr ca.srl ca.key

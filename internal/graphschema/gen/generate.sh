#!/bin/sh
# generate.sh regenerates ../data/v1.0.json and ../data/beta.json (run by go generate in
# internal/graphschema). It takes Microsoft's files from a clone of
# github.com/microsoftgraph/msgraph-metadata (MSGRAPH_METADATA, a work tree or a bare git
# directory) at the pinned commit, and the beta SDK from the module cache
# (go mod download github.com/microsoftgraph/msgraph-beta-sdk-go@v0.165.0 fetches it without
# adding it to go.mod).
set -eu
: "${MSGRAPH_METADATA:?set MSGRAPH_METADATA to a clone of github.com/microsoftgraph/msgraph-metadata}"
commit=f54f11b60956ea7b185ca0447b2b80805836ec7b
sdk=github.com/microsoftgraph/msgraph-beta-sdk-go@v0.165.0
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
mkdir -p "$tmp/schemas/type-mappings"
for f in schemas/v1.0-Prod.csdl schemas/type-mappings/beta-entity-types.json \
	schemas/type-mappings/beta-complex-types.json schemas/type-mappings/beta-enum-types.json; do
	git -C "$MSGRAPH_METADATA" show "$commit:$f" >"$tmp/$f"
done
date=$(git -C "$MSGRAPH_METADATA" show -s --format=%cI "$commit")
go run ./gen -metadata "$tmp" -commit "$commit" -date "$date" -beta-sdk "$(go env GOMODCACHE)/$sdk" -out data

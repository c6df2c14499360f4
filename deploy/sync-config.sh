#!/bin/sh
# Copies the repository's runbooks and policies into deploy/base, where kustomize's
# configMapGenerator may read them (kustomize refuses files outside the kustomization root,
# symlinks included). Run it after changing runbooks/ or policies/; the DeployTests fail
# while the copies differ.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
repo=$(dirname "$here")
for kind in runbooks policies; do
    rm -f "$here/base/$kind"/*.yaml
    mkdir -p "$here/base/$kind"
    cp "$repo/$kind"/*.yaml "$here/base/$kind/"
done
echo "copied $(ls "$repo/runbooks"/*.yaml | wc -l) runbooks and $(ls "$repo/policies"/*.yaml | wc -l) policies into deploy/base"

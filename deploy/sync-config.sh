#!/bin/sh
# Copies the repository's runbooks and policies into deploy/base, where kustomize's
# configMapGenerator may read them (kustomize refuses files outside the kustomization root,
# symlinks included). Run it after changing runbooks/ or policies/, and list a new file in
# deploy/base/kustomization.yaml; the DeployTests fail while the ConfigMaps and the
# repository differ.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
repo=$(dirname "$here")
for kind in runbooks policies; do
    rm -f "$here/base/$kind"/*.yaml
    mkdir -p "$here/base/$kind"
    cp "$repo/$kind"/*.yaml "$here/base/$kind/"
done
echo "copied $(ls "$repo/runbooks"/*.yaml | wc -l) runbooks and $(ls "$repo/policies"/*.yaml | wc -l) policies into deploy/base"

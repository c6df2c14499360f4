# The two commands a fresh machine needs: `make demo` (medic's main job on the bundled
# incident) and `make test` (every test). Both install their system dependencies first.
SWIFT ?= swift

.PHONY: demo test build deps bench clean

deps:
	@scripts/install-deps.sh

build: deps
	$(SWIFT) build

demo: deps
	@scripts/demo.sh

test: deps
	$(SWIFT) build --build-tests
	$(SWIFT) test --skip-build

bench: deps
	@bench/advise.sh
	@bench/runbook-tests.sh

clean:
	rm -rf .build

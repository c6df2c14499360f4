# The two commands a fresh machine needs: `make demo` (medic fixing the live CloudMart
# incident on KubeSim) and `make test` (every test). Both install their system dependencies first.
SWIFT ?= swift

.PHONY: demo test build deps bench clean

deps:
	@scripts/install-deps.sh

build: deps
	$(SWIFT) build

demo: deps
	@scripts/demo.sh

# Tests run one at a time: several start servers and time leases, timeouts and schedules,
# which a 2-core machine running them all at once would make flaky.
test: deps
	$(SWIFT) build --build-tests
	$(SWIFT) test --skip-build --no-parallel

bench: deps
	@bench/advise.sh
	@bench/runbook-tests.sh
	@bench/controller.sh

clean:
	rm -rf .build

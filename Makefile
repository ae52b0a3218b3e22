# arena-kfault: survive kernel-mode faults on BPF arena memory.
# See README.md.  Every target does its own set-up and is safe to re-run.

H := harness

.PHONY: check check-arm64 run vm vm-arm64 prepare series bisect-build refresh compare

check:		## build, boot, run the tests, print "N passed, N failed"
	@$(H)/check.sh

check-arm64:	## the same tests in an arm64 guest, cross-built, under TCG (not in CI)
	@GUEST_ARCH=arm64 $(H)/check.sh

run:		## boot the patched kernel and show the feature end to end
	@$(H)/demo.sh

vm: prepare	## an interactive shell on the patched kernel
	@$(H)/boot.sh --interactive

vm-arm64:	## the same on the arm64 kernel (make check-arm64 builds it)
	@GUEST_ARCH=arm64 $(H)/prepare.sh && GUEST_ARCH=arm64 $(H)/boot.sh --interactive

prepare:	## fetch, assemble and build, without booting
	@$(H)/prepare.sh

series:		## the mailing-list series, in out/series; warns if it no longer applies to the newest 6.12.y
	@$(H)/host-tools.sh && $(H)/fetch.sh && $(H)/assemble.sh && $(H)/export-series.sh && $(H)/check-drift.sh

bisect-build: prepare	## build every commit of the series in order (not in CI)
	@$(H)/bisect-build.sh

compare:	## the series against the unpatched base: regression and benchmarks (an hour or more; not in CI)
	@$(H)/compare.sh

refresh:	## write commits edited in the assembled tree back into patches/
	@$(H)/refresh.sh

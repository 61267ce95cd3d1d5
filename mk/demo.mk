# make demo: the first thing a newcomer runs. Installs the Debian packages
# building and playing need (deps/debian-packages.txt, not the test tools
# of deps/debian-test-packages.txt), builds, and plays configs/demo.vmplay
# (memtest86+: its start screen stays untouched; Enter starts testing).
demo:
	@tests/install-deps.sh deps/debian-packages.txt
	@$(MAKE) --no-print-directory all
	@echo "Playing configs/demo.vmplay: memtest86+; press Enter to test the VM's memory;"
	@echo "close the window (twice: memtest ignores the power button) to stop."
	$(BUILD)/vmplay configs/demo.vmplay

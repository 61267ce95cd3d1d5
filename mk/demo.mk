# make demo: the first thing a newcomer runs. Installs the Debian packages
# that are missing (make deps), builds, and plays configs/demo.vmplay
# (Debian's GRUB rescue CD: a boot menu and a command line) in a window.
demo:
	@$(MAKE) --no-print-directory deps
	@$(MAKE) --no-print-directory all
	@echo "Playing configs/demo.vmplay: press 'c' for GRUB's command line;"
	@echo "close the window (twice: GRUB ignores the power button) to stop."
	$(BUILD)/vmplay configs/demo.vmplay

# make screenshots: the AppStream metainfo's pictures, assets/screenshots/
# NAME.png, taken from the real window under Xvfb with the demo VM
# (tests/screenshots/take.sh, which also documents how to add one). Commit
# them after looking at them; test_metainfo.sh checks every <screenshot>
# has its picture.
.PHONY: screenshots
screenshots: $(BUILD)/vmplay
	@VMPLAY=$(abspath $(BUILD)/vmplay) BUILD=$(abspath $(BUILD)) \
		SCREENSHOT_DIR=$(abspath assets/screenshots) tests/screenshots/take.sh

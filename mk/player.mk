# The player's end-to-end helper: sends WM_DELETE_WINDOW (a window manager's
# close button) to a window, which xdotool 3.2016 cannot do.
$(BUILD)/tests/player_xclose: tests/e2e/player_xclose.c
	@mkdir -p $(@D)
	$(CC) -O2 -Wall -o $@ $< -lX11

CHECK_DEPS += $(BUILD)/tests/player_xclose

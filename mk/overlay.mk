# The overlay's stand-in player, driven under Xvfb by tests/e2e/test_overlay_x11.sh.
$(BUILD)/tests/overlay-demo: tests/overlay/overlay_demo.c $(LIB_OBJS)
	@mkdir -p $(@D)
	$(CC) $(ALL_CFLAGS) $(LDFLAGS) -o $@ $< $(LIB_OBJS) $(LIBS)

CHECK_DEPS += $(BUILD)/tests/overlay-demo

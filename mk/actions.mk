# The menu actions' headless driver (tests/actions), driven by
# tests/e2e/test_actions.sh against real QEMU.
$(BUILD)/tests/actions-driver: tests/actions/actions_driver.c $(LIB_OBJS)
	@mkdir -p $(@D)
	$(CC) $(ALL_CFLAGS) $(LDFLAGS) -o $@ $< $(LIB_OBJS) $(LIBS)

CHECK_DEPS += $(BUILD)/tests/actions-driver

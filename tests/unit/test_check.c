/* vmplay check's audio line (issue 16 item 16): silent audio is a warning
 * that says what to install or start, never "ok". */
#include "test.h"

#include "cli/commands.h"

#include <stdlib.h>

static void test_audio_line(void)
{
	bool ok = true;
	/* pa is there but no sound server runs: auto picks none. */
	char *s = check_audio_line("'none' 'alsa' 'pa'", true, AUDIO_NONE, &ok);
	CHECK(!ok);
	CHECK_CONTAINS(s, "auto finds no sound output, so VMs are silent");
	CHECK_CONTAINS(s, "pipewire-pulse");
	free(s);
	/* No pa module either. */
	s = check_audio_line("'none' 'alsa'", false, AUDIO_NONE, &ok);
	CHECK(!ok);
	CHECK_CONTAINS(s, "apt-get install qemu-system-gui");
	free(s);
	/* alsa works but pa is missing: a warning with the hint. */
	s = check_audio_line("'none' 'alsa'", false, AUDIO_ALSA, &ok);
	CHECK(!ok);
	CHECK_CONTAINS(s, "auto uses alsa (for pa and sdl: apt-get install qemu-system-gui)");
	free(s);
	/* pa with a server: ok. */
	s = check_audio_line("'none' 'pa'", true, AUDIO_PA, &ok);
	CHECK(ok);
	CHECK_STR(s, "backends: 'none' 'pa'; auto uses pa");
	free(s);
}

int main(void)
{
	RUN(test_audio_line);
	return TEST_REPORT();
}

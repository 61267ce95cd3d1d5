/* Translations (i18n.h). */
#include "base/i18n.h"

#include <locale.h>
#include <stdlib.h>

#ifndef LOCALEDIR
#define LOCALEDIR "/usr/local/share/locale"
#endif

void i18n_init(void)
{
	setlocale(LC_ALL, "");
	/* Numbers in VM files, QMP and QEMU's command line are C numbers
	 * (strtod reads "1.5" whatever the locale): only messages, character
	 * classes and time follow the user. */
	setlocale(LC_NUMERIC, "C");
	const char *dir = getenv("VMPLAY_LOCALEDIR");
	bindtextdomain("vmplay", dir && *dir ? dir : LOCALEDIR);
	bind_textdomain_codeset("vmplay", "UTF-8");
	textdomain("vmplay");
}

/* Translations through gettext. Every text a person reads goes through
 * _() (or N_() where the text sits in a table and is translated where it
 * is shown, or ngettext() where it counts something); texts that are
 * syntax or protocol stay as they are: VM-file sections and keys, QMP
 * and QEMU words, command and option names, and the first column of
 * `vmplay check` (ok/warning/missing), which scripts read.
 *
 * The catalogues are po/LANG.po, compiled to LOCALEDIR/LANG/LC_MESSAGES/
 * vmplay.mo by the build; VMPLAY_LOCALEDIR points elsewhere (the build
 * tree, for the tests). */
#ifndef VMPLAY_I18N_H
#define VMPLAY_I18N_H

#include <libintl.h>

#define _(text) gettext(text)
#define N_(text) (text)

/* The user's locale (LANG, LC_ALL, LC_MESSAGES...) for messages,
 * character classes and dates. LC_NUMERIC stays "C": numbers vmplay reads
 * from VM files or writes onto QEMU's command line must keep their '.'
 * whatever the user's language; sizes shown to people are formatted with
 * the user's decimal point explicitly. Call once, first thing in main. */
void i18n_init(void);

#endif

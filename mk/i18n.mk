# Translations (po/): `make pot` rebuilds the template po/vmplay.pot from the
# sources; every language in po/LINGUAS is compiled into
# $(BUILD)/locale/LANG/LC_MESSAGES/vmplay.mo (VMPLAY_LOCALEDIR=$(BUILD)/locale
# makes a build-tree vmplay use them) and installed under $(DATADIR)/locale.
LINGUAS := $(shell sed 's/\#.*//' po/LINGUAS)
MO_FILES := $(foreach l,$(LINGUAS),$(BUILD)/locale/$(l)/LC_MESSAGES/vmplay.mo)
MO_INSTALL = $(foreach l,$(LINGUAS),\
	$(BUILD)/locale/$(l)/LC_MESSAGES/vmplay.mo:$(DATADIR)/locale/$(l)/LC_MESSAGES/vmplay.mo)

$(BUILD)/obj/base/i18n.o: ALL_CFLAGS += -DLOCALEDIR='"$(DATADIR)/locale"'

$(BUILD)/locale/%/LC_MESSAGES/vmplay.mo: po/%.po
	@mkdir -p $(@D)
	msgfmt --check -o $@ $<

all: $(MO_FILES)

# The template: every _(), N_() and ngettext() text in src/, with the
# comments marked "TRANSLATORS:" above them.
.PHONY: pot
pot:
	LC_ALL=C.UTF-8 xgettext --from-code=UTF-8 --language=C --keyword=_ --keyword=N_ \
		--keyword=ngettext:1,2 --add-comments=TRANSLATORS: \
		--package-name=vmplay --msgid-bugs-address= --sort-by-file \
		-o po/vmplay.pot $(sort $(SRCS) src/main.c)
	@for l in $(LINGUAS); do \
		msgmerge --quiet --update --backup=none po/$$l.po po/vmplay.pot; \
	done

# Translated man pages, kept by hand (README, "Translations"): every
# assets/LANG/vmplay.1 and vmplay.5 is installed as $(MANDIR)/LANG/man1 and
# man5, with the version in its .TH line as for the English pages
# (mk/version.mk); tests/lint/test_man_es.sh holds the Spanish ones in step.
MAN_LANGS := $(patsubst assets/%/vmplay.1,%,$(wildcard assets/*/vmplay.1))
MAN_I18N_FILES := $(foreach l,$(MAN_LANGS),$(BUILD)/man/$(l)/vmplay.1 $(BUILD)/man/$(l)/vmplay.5)
MAN_I18N_INSTALL = $(foreach l,$(MAN_LANGS),\
	$(BUILD)/man/$(l)/vmplay.1:$(MANDIR)/$(l)/man1/vmplay.1 \
	$(BUILD)/man/$(l)/vmplay.5:$(MANDIR)/$(l)/man5/vmplay.5)

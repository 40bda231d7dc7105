// The GUI's translations: which catalogues a locale gets, and installing them on the application.
//
// ruvision_<language>.qm catalogues are compiled by the build from resources/translations/*.ts and
// embedded under :/i18n. English is the source language; its catalogue ruvision_en.qm holds only
// the plural forms ("%n file(s)" -> "1 file" / "2 files") and is installed in every program that
// links ruvision_ui as soon as its QCoreApplication exists (SourcePlurals.cpp), so English text
// reads right with or without a LocaleTranslators.
//
// Thread: GUI thread; the application object must exist for the whole life of a LocaleTranslators.
#pragma once

#include <QLocale>
#include <QString>
#include <memory>

class QTranslator;

namespace rv::ui {

class LocaleTranslators {
public:
    // Installs, for `locale` (its uiLanguages in order, e.g. LANGUAGE=de:en, then LANG/LC_ALL):
    // RuVision's own catalogue if one is embedded for one of its languages, and Qt's own catalogue
    // (qtbase_<language>.qm in QLibraryInfo::TranslationsPath, Debian's qt6-translations-l10n) for
    // the standard dialogs and buttons. A locale whose language has no catalogue keeps English.
    explicit LocaleTranslators(const QLocale& locale);
    ~LocaleTranslators();  // removes what it installed
    LocaleTranslators(const LocaleTranslators&) = delete;
    LocaleTranslators& operator=(const LocaleTranslators&) = delete;

    // The catalogue of RuVision's text installed for the locale ("ruvision_de.qm"); empty when
    // the window stays in the source language.
    QString catalogue() const { return catalogue_; }
    bool hasQtCatalogue() const { return qt_ != nullptr; }

private:
    std::unique_ptr<QTranslator> ruvision_, qt_;
    QString catalogue_;
};

// Where the embedded catalogues are, and their base name: ":/i18n", "ruvision".
inline constexpr const char* kCatalogueDir = ":/i18n";
inline constexpr const char* kCatalogueName = "ruvision";

}  // namespace rv::ui

#include "ruvision/ui/Translations.h"

#include <QCoreApplication>
#include <QFileInfo>
#include <QLibraryInfo>
#include <QTranslator>

namespace rv::ui {

namespace {

// The catalogue `name` for the first of the locale's uiLanguages that has one (LANGUAGE=de:en
// gives German even under LANG=en_US), or null.
std::unique_ptr<QTranslator> load(const QLocale& locale, const QString& name, const QString& dir) {
    auto t = std::make_unique<QTranslator>();
    if (!t->load(locale, name, QStringLiteral("_"), dir)) return {};
    return t;
}

}  // namespace

LocaleTranslators::LocaleTranslators(const QLocale& locale) {
    ruvision_ = load(locale, QString::fromLatin1(kCatalogueName), QString::fromLatin1(kCatalogueDir));
    // None: the source text. English: the source text too, whose plural forms are installed already
    // (SourcePlurals.cpp). Either way Qt's own dialogs stay English like the rest of the window.
    if (!ruvision_ || QFileInfo(ruvision_->filePath()).fileName() == QLatin1String("ruvision_en.qm")) {
        ruvision_.reset();
        return;
    }
    if (!QCoreApplication::installTranslator(ruvision_.get())) {
        ruvision_.reset();
        return;
    }
    catalogue_ = QFileInfo(ruvision_->filePath()).fileName();
    // Qt's own strings (QMessageBox buttons, QFileDialog), from the system's Qt translations.
    qt_ = load(locale, QStringLiteral("qtbase"), QLibraryInfo::path(QLibraryInfo::TranslationsPath));
    if (qt_ && !QCoreApplication::installTranslator(qt_.get())) qt_.reset();
}

LocaleTranslators::~LocaleTranslators() {
    if (!QCoreApplication::instance()) return;
    if (qt_) QCoreApplication::removeTranslator(qt_.get());
    if (ruvision_) QCoreApplication::removeTranslator(ruvision_.get());
}

}  // namespace rv::ui

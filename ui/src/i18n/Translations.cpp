#include "ruvision/ui/Translations.h"

#include <QCoreApplication>
#include <QFileInfo>
#include <QLibraryInfo>
#include <QTranslator>

namespace rv::ui {

namespace {

// English is the source text: its catalogue (plural forms only) is already installed for every
// application (SourcePlurals.cpp), so an English locale adds nothing.
bool isSourceLanguage(const QLocale& locale) {
    return locale.language() == QLocale::English || locale.language() == QLocale::C;
}

std::unique_ptr<QTranslator> install(const QLocale& locale, const QString& name, const QString& dir) {
    auto t = std::make_unique<QTranslator>();
    if (!t->load(locale, name, QStringLiteral("_"), dir) || !QCoreApplication::installTranslator(t.get())) return {};
    return t;
}

}  // namespace

LocaleTranslators::LocaleTranslators(const QLocale& locale) {
    if (isSourceLanguage(locale)) return;
    ruvision_ = install(locale, QString::fromLatin1(kCatalogueName), QString::fromLatin1(kCatalogueDir));
    if (!ruvision_) return;  // no catalogue of ours: Qt's own dialogs stay English too, like the rest
    catalogue_ = QFileInfo(ruvision_->filePath()).fileName();
    // Qt's own strings (QMessageBox buttons, QFileDialog): from the system's Qt translations.
    qt_ = install(locale, QStringLiteral("qtbase"), QLibraryInfo::path(QLibraryInfo::TranslationsPath));
}

LocaleTranslators::~LocaleTranslators() {
    if (!QCoreApplication::instance()) return;
    if (qt_) QCoreApplication::removeTranslator(qt_.get());
    if (ruvision_) QCoreApplication::removeTranslator(ruvision_.get());
}

}  // namespace rv::ui

// The plural forms of the source language, installed for every application that links
// ruvision_ui: the source text says "%n file(s)"; ruvision_en.qm turns it into "1 file" and
// "2 files". Built into an object library whose objects every executable linking ruvision_ui
// gets (ui/CMakeLists.txt), like the embedded catalogues themselves: a static library's unused
// object would otherwise be dropped, and this one is referenced by nothing.
#include <QCoreApplication>
#include <QTranslator>

namespace {

void installSourcePlurals() {
    auto* app = QCoreApplication::instance();
    auto* plurals = new QTranslator(app);  // owned by the application
    if (plurals->load(QStringLiteral(":/i18n/ruvision_en.qm")) && QCoreApplication::installTranslator(plurals)) return;
    qWarning("ruvision: the English plural forms (:/i18n/ruvision_en.qm) are missing; counts read \"file(s)\"");
    delete plurals;
}

}  // namespace

Q_COREAPP_STARTUP_FUNCTION(installSourcePlurals)

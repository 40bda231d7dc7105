// The GUI's translations (issue 15).
//
// The catalogues: lupdate is run on the same sources as `cmake --build build --target
// ruvision_lupdate` (the list file ui/CMakeLists.txt writes), into a copy of each checked-in .ts.
// A string added to the code without a translation comes out "unfinished", a changed one too, and
// a string the code no longer has comes out "vanished": each fails, naming the string. Then every
// German translation keeps its source's placeholders (%1.., %L1, %n) and its accelerator (&), and
// has German's two plural forms.
//
// The window: built under a German system locale (LC_ALL, LANGUAGE set before the application
// exists, as a German desktop session does), with the translators the GUI's main installs, its
// menus read German, every entry different from the same window's without a translator, Qt's own
// dialog buttons too where Debian's qt6-translations-l10n is installed; under the C locale,
// English. In both, no two entries of one menu share an accelerator.
//
// Offscreen; private XDG homes (ui_test_util.h). lupdate's path and the source list come from CMake.
#include <QAction>
#include <QApplication>
#include <QDialogButtonBox>
#include <QFile>
#include <QLibraryInfo>
#include <QMenu>
#include <QMenuBar>
#include <QProcess>
#include <QPushButton>
#include <QRegularExpression>
#include <QTabWidget>
#include <QTemporaryDir>
#include <QXmlStreamReader>
#include <QtTest>

#include <memory>

#include "DuplicateCards.h"
#include "ruvision/ui/MainWindow.h"
#include "ruvision/ui/Translations.h"
#include "ui_test_util.h"

using rv::ui::LocaleTranslators;
using rv::ui::MainWindow;

namespace {

struct Message {
    QString context, source;
    bool numerus = false;
    QString type;            // the translation's type attribute: "" (finished), unfinished, vanished, obsolete
    QStringList forms;       // the translation, or its plural forms
};

// The messages of a .ts file; false and `error` set if it cannot be read.
bool readCatalogue(const QString& path, QVector<Message>* out, QString* error) {
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly)) return *error = file.errorString(), false;
    QXmlStreamReader xml(&file);
    QString context;
    Message m;
    while (!xml.atEnd()) {
        xml.readNext();
        if (!xml.isStartElement()) continue;
        const auto name = xml.name();
        if (name == QLatin1String("name")) context = xml.readElementText();
        else if (name == QLatin1String("message")) m = {context, {}, xml.attributes().value(QLatin1String("numerus")) == QLatin1String("yes"), {}, {}};
        else if (name == QLatin1String("source")) m.source = xml.readElementText();
        else if (name == QLatin1String("translation")) {
            m.type = xml.attributes().value(QLatin1String("type")).toString();
            if (m.numerus) {
                while (xml.readNextStartElement()) m.forms << xml.readElementText();  // <numerusform>
            } else {
                m.forms << xml.readElementText();
            }
            out->push_back(m);
        }
    }
    if (xml.hasError()) return *error = xml.errorString(), false;
    return true;
}

// Runs lupdate over the GUI's sources into a copy of `checkedIn`; the updated copy's path.
QString updatedCopy(const QTemporaryDir& dir, const QString& checkedIn, bool pluralOnly, QString* error) {
    const QString copy = dir.filePath(QFileInfo(checkedIn).fileName());
    QFile::remove(copy);
    if (!QFile::copy(checkedIn, copy)) return *error = QStringLiteral("cannot copy ") + checkedIn, QString();
    QStringList args{QStringLiteral("-locations"), QStringLiteral("none"), QStringLiteral("-silent")};
    if (pluralOnly) args << QStringLiteral("-pluralonly");
    args << QStringLiteral("@" RUVISION_LUPDATE_LIST) << QStringLiteral("-ts") << copy;
    QProcess lupdate;
    lupdate.start(QStringLiteral(RUVISION_LUPDATE), args);
    if (!lupdate.waitForFinished(120000) || lupdate.exitStatus() != QProcess::NormalExit || lupdate.exitCode() != 0)
        return *error = QStringLiteral("lupdate failed: ") + QString::fromLocal8Bit(lupdate.readAllStandardError()), QString();
    return copy;
}

// The placeholders of `text` other than the plural count: "%1", "%L2", ... sorted.
QStringList argPlaceholders(const QString& text) {
    static const QRegularExpression re(QStringLiteral("%L?([1-9][0-9]?)"));
    QStringList out;
    for (auto it = re.globalMatch(text); it.hasNext();) out << QStringLiteral("%") + it.next().captured(1);
    out.sort();
    return out;
}

bool hasCount(const QString& text) { return text.contains(QLatin1String("%n")) || text.contains(QLatin1String("%Ln")); }

// The accelerators of `text`: '&' before a character other than '&' or a space ("&&" is a literal &).
int accelerators(const QString& text) {
    int n = 0;
    for (int i = 0; i + 1 < text.size(); ++i) {
        if (text[i] != QLatin1Char('&')) continue;
        if (text[i + 1] == QLatin1Char('&')) { ++i; continue; }
        if (!text[i + 1].isSpace()) ++n;
    }
    return n;
}

QString where(const Message& m) { return m.context + QStringLiteral(": \"") + m.source + QLatin1Char('"'); }

// Each menu's entries (and the menu bar's titles) with their accelerator keys; a problem per
// clash, as "menu: key in A and B".
QStringList acceleratorClashes(QMenuBar* bar) {
    QStringList problems;
    auto check = [&](const QString& where, const QList<QAction*>& actions) {
        QHash<int, QString> seen;
        for (QAction* a : actions) {
            if (a->isSeparator() || a->text().isEmpty()) continue;
            const QKeySequence key = QKeySequence::mnemonic(a->text());
            if (key.isEmpty()) continue;
            const int k = key[0].toCombined();
            if (seen.contains(k)) problems << where + QStringLiteral(": ") + key.toString() + QStringLiteral(" in ") + seen[k] + QStringLiteral(" and ") + a->text();
            seen.insert(k, a->text());
        }
    };
    check(QStringLiteral("menu bar"), bar->actions());
    for (QAction* title : bar->actions())
        if (title->menu()) check(title->text(), title->menu()->actions());
    return problems;
}

// The entries of each menu of the bar, in order, separators left out.
QList<QStringList> menuEntries(QMenuBar* bar) {
    QList<QStringList> out;
    for (QAction* title : bar->actions()) {
        out.append({title->text()});
        for (QAction* a : title->menu()->actions())
            if (!a->isSeparator()) out.last() << a->text();
    }
    return out;
}

QStringList menuTitles(QMenuBar* bar) {
    QStringList out;
    for (QAction* a : bar->actions()) out << a->text();
    return out;
}

QAction* actionByText(QWidget* window, const QString& text) {
    for (QAction* a : window->findChildren<QAction*>())
        if (a->text() == text) return a;
    return nullptr;
}

}  // namespace

class TestTranslations : public QObject {
    Q_OBJECT
private slots:
    void catalogue_covers_every_source_string_data();
    void catalogue_covers_every_source_string();
    void german_keeps_placeholders_accelerators_and_plurals();
    void the_checker_sees_what_it_must();
    void german_locale_shows_a_german_window();
    void c_locale_shows_the_english_window();
    void english_counts_read_right();

private:
    QTemporaryDir tmp_;
};

void TestTranslations::catalogue_covers_every_source_string_data() {
    QTest::addColumn<QString>("catalogue");
    QTest::addColumn<bool>("pluralOnly");
    QTest::newRow("German") << QStringLiteral(RUVISION_TS_DIR "/ruvision_de.ts") << false;
    QTest::newRow("English plurals") << QStringLiteral(RUVISION_TS_DIR "/ruvision_en.ts") << true;
}

void TestTranslations::catalogue_covers_every_source_string() {
    QFETCH(QString, catalogue);
    QFETCH(bool, pluralOnly);
    QVERIFY(tmp_.isValid());
    QString error;
    const QString updated = updatedCopy(tmp_, catalogue, pluralOnly, &error);
    QVERIFY2(!updated.isEmpty(), qPrintable(error));
    QVector<Message> messages;
    QVERIFY2(readCatalogue(updated, &messages, &error), qPrintable(error));
    QVERIFY2(messages.size() > (pluralOnly ? 20 : 400), qPrintable(QString::number(messages.size())));
    QStringList problems;
    for (const Message& m : messages) {
        if (m.type == QLatin1String("unfinished"))
            problems << QStringLiteral("not translated (new or changed in the code): ") + where(m);
        else if (m.type == QLatin1String("vanished") || m.type == QLatin1String("obsolete"))
            problems << QStringLiteral("no longer in the code: ") + where(m);
        else if (std::any_of(m.forms.begin(), m.forms.end(), [](const QString& f) { return f.isEmpty(); }))
            problems << QStringLiteral("empty translation: ") + where(m);
    }
    if (!problems.isEmpty())
        QFAIL(qPrintable(QStringLiteral("%1 is not in step with the sources; run `cmake --build build --target ruvision_lupdate`, "
                                        "translate, and commit it:\n  ").arg(QFileInfo(catalogue).fileName()) +
                         problems.join(QStringLiteral("\n  "))));
}

void TestTranslations::german_keeps_placeholders_accelerators_and_plurals() {
    QVector<Message> messages;
    QString error;
    QVERIFY2(readCatalogue(QStringLiteral(RUVISION_TS_DIR "/ruvision_de.ts"), &messages, &error), qPrintable(error));
    QStringList problems;
    for (const Message& m : messages) {
        if (m.numerus && m.forms.size() != 2) problems << QStringLiteral("German has 2 plural forms, not %1: ").arg(m.forms.size()) + where(m);
        bool counted = false;
        for (const QString& form : m.forms) {
            if (argPlaceholders(form) != argPlaceholders(m.source))
                problems << QStringLiteral("placeholders %1 instead of %2: ").arg(argPlaceholders(form).join(u','), argPlaceholders(m.source).join(u',')) + where(m);
            if (accelerators(form) != accelerators(m.source))
                problems << QStringLiteral("%1 accelerator(s) in \"%2\", %3 in the source: ").arg(accelerators(form)).arg(form).arg(accelerators(m.source)) + where(m);
            counted = counted || hasCount(form);
        }
        // The singular may spell the one out ("Kopie ausblenden"); the plural names the count.
        if (hasCount(m.source) && !(m.numerus ? hasCount(m.forms.value(1)) : counted))
            problems << QStringLiteral("the count %n is lost: ") + where(m);
        if (!m.numerus && m.type.isEmpty() && m.forms.value(0) == m.source && m.source.contains(QRegularExpression(QStringLiteral("[a-z]{4,} [a-z]{3,}"))))
            problems << QStringLiteral("left in English: ") + where(m);
    }
    QVERIFY2(problems.isEmpty(), qPrintable(problems.join(u'\n')));
}

// The checks above, on made-up entries: what they must catch, they catch.
void TestTranslations::the_checker_sees_what_it_must() {
    QCOMPARE(argPlaceholders(QStringLiteral("%L1 of %2, %3 %")), (QStringList{QStringLiteral("%1"), QStringLiteral("%2"), QStringLiteral("%3")}));
    QVERIFY(argPlaceholders(QStringLiteral("%1 von %2")) != argPlaceholders(QStringLiteral("%1 of %2 (%3)")));
    QVERIFY(argPlaceholders(QStringLiteral("%n Bilder")).isEmpty());
    QCOMPARE(accelerators(QStringLiteral("&Datei")), 1);
    QCOMPARE(accelerators(QStringLiteral("Drag && drop & more")), 0);
    QCOMPARE(accelerators(QStringLiteral("Datei")), 0);
    QVERIFY(hasCount(QStringLiteral("%Ln Bilder")) && !hasCount(QStringLiteral("%1 Bilder")));

    // A catalogue that lacks a string the sources have: lupdate marks it unfinished.
    const QString stale = tmp_.filePath(QStringLiteral("stale_de.ts"));
    QFile in(QStringLiteral(RUVISION_TS_DIR "/ruvision_de.ts"));
    QVERIFY(in.open(QIODevice::ReadOnly));
    QString text = QString::fromUtf8(in.readAll());
    const QString about = QStringLiteral("<source>&amp;About RuVision</source>");
    const int at = text.indexOf(about);
    QVERIFY(at > 0);
    const int start = text.lastIndexOf(QLatin1String("<message>"), at), end = text.indexOf(QLatin1String("</message>"), at);
    text.remove(start, end + int(qstrlen("</message>")) - start);
    QFile out(stale);
    QVERIFY(out.open(QIODevice::WriteOnly));
    out.write(text.toUtf8());
    out.close();
    QTemporaryDir dir;
    QString error;
    const QString updated = updatedCopy(dir, stale, false, &error);
    QVERIFY2(!updated.isEmpty(), qPrintable(error));
    QVector<Message> messages;
    QVERIFY2(readCatalogue(updated, &messages, &error), qPrintable(error));
    const auto it = std::find_if(messages.begin(), messages.end(), [](const Message& m) { return m.source == QLatin1String("&About RuVision"); });
    QVERIFY(it != messages.end());
    QCOMPARE(it->type, QStringLiteral("unfinished"));

    // Two entries of one menu on the same key are a clash; the menu bar's titles count as a menu.
    QMenuBar bar;
    QMenu* menu = bar.addMenu(QStringLiteral("&Datei"));
    menu->addAction(QStringLiteral("&Öffnen"));
    menu->addAction(QStringLiteral("Ordner &hinzufügen"));
    QVERIFY(acceleratorClashes(&bar).isEmpty());
    menu->addAction(QStringLiteral("&Hilfe"));
    QCOMPARE(acceleratorClashes(&bar).size(), 1);
    bar.addMenu(QStringLiteral("&Drucken"));
    QCOMPARE(acceleratorClashes(&bar).size(), 2);
}

void TestTranslations::german_locale_shows_a_german_window() {
    // main() set LC_ALL=de_DE.UTF-8 and LANGUAGE=de before the application existed.
    QCOMPARE(QLocale::system().language(), QLocale::German);
    // The menus in the source language first, to hold the German ones against, entry by entry.
    QList<QStringList> english;
    {
        MainWindow window(tmp_.filePath(QStringLiteral("library-source")));
        english = menuEntries(window.menuBar());
    }
    const LocaleTranslators translators(QLocale::system());
    QCOMPARE(translators.catalogue(), QStringLiteral("ruvision_de.qm"));
    MainWindow window(tmp_.filePath(QStringLiteral("library-de")));
    QMenuBar* bar = window.menuBar();
    QCOMPARE(menuTitles(bar), (QStringList{QStringLiteral("&Datei"), QStringLiteral("&Bearbeiten"), QStringLiteral("&Gehe zu"),
                                           QStringLiteral("B&ild"), QStringLiteral("&Ansicht"), QStringLiteral("E&xtras"),
                                           QStringLiteral("&Hilfe")}));
    QVERIFY(actionByText(&window, QStringLiteral("Ä&hnliche suchen")));
    QVERIFY(actionByText(&window, QStringLiteral("&Duplikate suchen")));
    QVERIFY(actionByText(&window, QStringLiteral("In den &Papierkorb verschieben …")));
    // No entry of any menu is left in English.
    const QList<QStringList> german = menuEntries(bar);
    QCOMPARE(german.size(), english.size());
    int entries = 0;
    for (int i = 0; i < german.size(); ++i) {
        QCOMPARE(german[i].size(), english[i].size());
        for (int j = 0; j < german[i].size(); ++j, ++entries)
            QVERIFY2(german[i][j] != english[i][j], qPrintable(QStringLiteral("left in English: ") + english[i][j]));
    }
    QVERIFY(entries > 20);
    const QStringList clashes = acceleratorClashes(bar);
    QVERIFY2(clashes.isEmpty(), qPrintable(clashes.join(u'\n')));
    // The tabs, and a count in its German plural forms.
    auto* tabs = window.findChild<QTabWidget*>();
    QVERIFY(tabs);
    QStringList tabTitles;
    for (int i = 0; i < tabs->count(); ++i) tabTitles << tabs->tabText(i);
    QVERIFY2(tabTitles.contains(QStringLiteral("Ähnliche")) && tabTitles.contains(QStringLiteral("Duplikate")), qPrintable(tabTitles.join(u',')));
    QCOMPARE(rv::ui::DuplicateCards::fileCountText(1), QStringLiteral("1 Datei"));
    QCOMPARE(rv::ui::DuplicateCards::fileCountText(3), QStringLiteral("3 Dateien"));
    // Qt's own buttons, where Debian's qtbase catalogues are installed.
    if (!QFile::exists(QLibraryInfo::path(QLibraryInfo::TranslationsPath) + QStringLiteral("/qtbase_de.qm")))
        QSKIP("qt6-translations-l10n is not installed: Qt's own buttons stay English");
    QVERIFY(translators.hasQtCatalogue());
    QDialogButtonBox box(QDialogButtonBox::Cancel);
    QCOMPARE(box.button(QDialogButtonBox::Cancel)->text(), QStringLiteral("Abbrechen"));
}

void TestTranslations::c_locale_shows_the_english_window() {
    const LocaleTranslators translators{QLocale::c()};
    QVERIFY(translators.catalogue().isEmpty());
    MainWindow window(tmp_.filePath(QStringLiteral("library-c")));
    QMenuBar* bar = window.menuBar();
    QCOMPARE(menuTitles(bar), (QStringList{QStringLiteral("&File"), QStringLiteral("&Edit"), QStringLiteral("&Go"), QStringLiteral("&Image"),
                                           QStringLiteral("&View"), QStringLiteral("&Tools"), QStringLiteral("&Help")}));
    QVERIFY(actionByText(&window, QStringLiteral("Find &Similar")));
    const QStringList clashes = acceleratorClashes(bar);
    QVERIFY2(clashes.isEmpty(), qPrintable(clashes.join(u'\n')));
    QDialogButtonBox box(QDialogButtonBox::Cancel);
    QCOMPARE(box.button(QDialogButtonBox::Cancel)->text(), QStringLiteral("Cancel"));
}

// The English plural forms are installed for every program linking ruvision_ui, with no
// LocaleTranslators: the source text "%n file(s)" reads "1 file", "2 files".
void TestTranslations::english_counts_read_right() {
    QCOMPARE(rv::ui::DuplicateCards::fileCountText(1), QStringLiteral("1 file"));
    QCOMPARE(rv::ui::DuplicateCards::fileCountText(2), QStringLiteral("2 files"));
}

int main(int argc, char** argv) {
    // Before the application exists: a German session's locale, and private XDG homes.
    qputenv("LC_ALL", "de_DE.UTF-8");
    qputenv("LANGUAGE", "de");
    QTemporaryDir home;
    ui_test::isolateEnvironment(home);
    QApplication app(argc, argv);
    QApplication::setApplicationName(QStringLiteral("ruvision-test-translations"));
    TestTranslations test;
    return QTest::qExec(&test, argc, argv);
}

#include "test_translations.moc"

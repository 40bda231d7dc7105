#include "DisplayName.h"

#include <QRegularExpression>
#include <QStringList>

namespace rv::ui {
namespace {

// Words that name no picture, alone or followed by a number ("image 2", "Screenshot_3").
const QString kGenericWords = QStringLiteral(
    "screenshot|screen[ _-]?shot|image|picture|pic|photo|wallpaper|background|preview|thumbnail|thumb|"
    "untitled|unnamed|default|cover|scan|contents|file|new|copy");

// The whole text against `pattern`, case-insensitive. Built once per pattern (each caller keeps it
// in a static): compiling a pattern on every call was a third of the GUI thread's time when grids
// repainted (bench_ui_stall_learning under perf).
QRegularExpression anchored(const QString& pattern) {
    return QRegularExpression(QStringLiteral("^(?:") + pattern + QStringLiteral(")$"),
                              QRegularExpression::CaseInsensitiveOption | QRegularExpression::UseUnicodePropertiesOption);
}

// A number, a size ("2560x1600", "1080×1920@2x") or a date-less counter, with separators.
const QString kNumbers = QStringLiteral("[\\d\\s_.\\-x×@()]*\\d[\\d\\s_.\\-x×@()]*");

bool isGenericFolder(const QString& name) {
    static const QRegularExpression folders =
        anchored(QStringLiteral("images?(?:[_-]\\w+)?|pictures|photos|screenshots|wallpapers|backgrounds|"
                                "thumbnails|previews|img|pics|tmp|temp|dcim|\\.?cache"));
    return isGenericFileName(name) || folders.match(name).hasMatch();
}

// "images_dark" -> "dark"; "" for any other folder.
QString variantOf(const QString& folder) {
    static const QRegularExpression re(QStringLiteral("^images?[_-](\\w+)$"), QRegularExpression::CaseInsensitiveOption);
    const auto m = re.match(folder);
    return m.hasMatch() ? m.captured(1) : QString();
}

}  // namespace

bool isGenericFileName(const QString& baseName) {
    const QString name = baseName.trimmed();
    if (name.isEmpty()) return true;
    static const QRegularExpression numbers = anchored(kNumbers);
    static const QRegularExpression generic =
        anchored(QStringLiteral("(?:%1)(?:[\\s_.\\-]*%2)?").arg(kGenericWords, kNumbers));
    return numbers.match(name).hasMatch() || generic.match(name).hasMatch();
}

QString displayName(const QString& path) {
    if (path.isEmpty()) return {};
    QStringList parts = path.split(u'/', Qt::SkipEmptyParts);
    if (parts.isEmpty()) return path;  // "/" or "///"
    const QString file = parts.takeLast();
    const qsizetype dot = file.lastIndexOf(u'.');
    const QString base = dot > 0 ? file.left(dot) : file;
    if (!isGenericFileName(base)) return file;
    QString variant;
    for (int up = 0; up < 3 && !parts.isEmpty(); ++up) {
        const QString folder = parts.takeLast();
        if (!isGenericFolder(folder)) {
            const QString named = variant.isEmpty() ? folder : QStringLiteral("%1 (%2)").arg(folder, variant);
            return QStringLiteral("%1 · %2").arg(named, file);
        }
        if (variant.isEmpty()) variant = variantOf(folder);
    }
    return file;
}

}  // namespace rv::ui

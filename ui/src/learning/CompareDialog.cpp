#include "learning/CompareDialog.h"

#include <QFileInfo>
#include <QGridLayout>
#include <QLabel>
#include <QSet>

#include "ImageGrid.h"

namespace rv::ui {

namespace {

QVector<ImageGridModel::Result> ranked(const QVector<SearchHit>& hits) {
    QVector<ImageGridModel::Result> out;
    for (const SearchHit& h : hits) {
        ImageGridModel::Result r{h.path, h.score, {}, h.word};
        for (const auto& c : h.copies) r.copies.push_back({c.path, c.score, c.why});
        out.push_back(std::move(r));
    }
    return out;
}

}  // namespace

CompareDialog::CompareDialog(LibraryService* service, ThumbnailCache* thumbnails, QWidget* parent)
    : QDialog(parent), service_(service) {
    setWindowTitle(tr("Compare: with and without what RuVision learned"));
    resize(1100, 700);
    auto* grid = new QGridLayout(this);
    withTitle_ = new QLabel(this);
    withoutTitle_ = new QLabel(tr("<b>Without the adapter</b> (the plain features, as before any learning)"), this);
    with_ = new ImageGrid(thumbnails, this);
    without_ = new ImageGrid(thumbnails, this);
    for (ImageGrid* g : {with_, without_}) g->setThumbnailSide(120);
    summary_ = new QLabel(this);
    summary_->setWordWrap(true);
    grid->addWidget(summary_, 0, 0, 1, 2);
    grid->addWidget(withTitle_, 1, 0);
    grid->addWidget(withoutTitle_, 1, 1);
    grid->addWidget(with_, 2, 0);
    grid->addWidget(without_, 2, 1);
    grid->setRowStretch(2, 1);
    connect(service_, &LibraryService::compareFinished, this, &CompareDialog::showResults);
}

void CompareDialog::compare(const QString& imagePath, qint64 activeVersion) {
    withTitle_->setText(activeVersion > 0 ? tr("<b>With adapter version %1</b> (what search shows now)").arg(activeVersion)
                                          : tr("<b>With the fast adapter only</b> (no version is active)"));
    summary_->setText(tr("Searching for images like %1 both ways…").arg(QFileInfo(imagePath).fileName()));
    with_->gridModel()->clear();
    without_->gridModel()->clear();
    pending_ = service_->compare(imagePath);
}

void CompareDialog::showResults(quint64 id, const QVector<SearchHit>& with, const QVector<SearchHit>& without,
                         const QString& error) {
    if (id != pending_) return;
    pending_ = 0;
    if (!error.isEmpty()) {
        summary_->setText(tr("Compare failed: %1").arg(error));
        return;
    }
    with_->gridModel()->setResults(ranked(with));
    without_->gridModel()->setResults(ranked(without));
    // How much the two rankings differ among the first 10.
    QSet<QString> a, b;
    int moved = 0;
    for (int i = 0; i < std::min<int>(10, int(with.size())); ++i) a.insert(with[i].path);
    for (int i = 0; i < std::min<int>(10, int(without.size())); ++i) {
        b.insert(without[i].path);
        if (i < with.size() && with[i].path != without[i].path) ++moved;
    }
    const int onlyWith = static_cast<int>((a - b).size());
    summary_->setText(tr("Of the first 10 results, %1 are in a different place and %2 are new with the adapter.")
                          .arg(moved)
                          .arg(onlyWith));
}

}  // namespace rv::ui

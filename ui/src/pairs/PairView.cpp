// The pair view (PairView.h).
#include "pairs/PairView.h"

#include <QHBoxLayout>
#include <QKeyEvent>
#include <QLabel>
#include <QPushButton>
#include <QStackedWidget>
#include <QTabWidget>
#include <QVBoxLayout>

#include "LibraryService.h"

namespace rv::ui {

namespace {

QString score3(float x) { return QString::number(double(x), 'f', 3); }

// One plural message: each language says how many forms it has (English's in ruvision_en.ts).
QString verdictCount(int n) {
    return PairView::tr("%n verdict(s)", nullptr, n);
}

}  // namespace

PairView::PairView(LibraryService* service, QWidget* parent) : QWidget(parent), service_(service) {
    setFocusPolicy(Qt::StrongFocus);
    auto* column = new QVBoxLayout(this);
    auto* top = new QHBoxLayout;
    auto* title = new QLabel(tr("Are these the same picture?"), this);
    QFont big = title->font();
    big.setPointSizeF(big.pointSizeF() * 1.3);
    big.setBold(true);
    title->setFont(big);
    threshold_ = new QLabel(this);
    threshold_->setAlignment(Qt::AlignRight | Qt::AlignVCenter);
    top->addWidget(title);
    top->addStretch(1);
    top->addWidget(threshold_);
    column->addLayout(top);

    auto* panes = new QHBoxLayout;
    left_ = new PairPane(this);
    right_ = new PairPane(this);
    panes->addWidget(left_, 1);
    panes->addWidget(right_, 1);
    column->addLayout(panes, 1);

    reason_ = new QLabel(this);
    reason_->setAlignment(Qt::AlignHCenter);
    message_ = new QLabel(this);
    message_->setAlignment(Qt::AlignHCenter);
    message_->setWordWrap(true);
    column->addWidget(reason_);
    column->addWidget(message_);

    auto* buttons = new QHBoxLayout;
    auto button = [&](const QString& text, const QString& tip, auto slot) {
        auto* b = new QPushButton(text, this);
        b->setToolTip(tip);
        b->setFocusPolicy(Qt::NoFocus);  // the keys go to the view
        connect(b, &QPushButton::clicked, this, slot);
        buttons->addWidget(b);
        return b;
    };
    back_ = button(tr("Back (Backspace)"), tr("Undo the last verdict or skip and show that pair again"), [this] { back(); });
    buttons->addStretch(1);
    same_ = button(tr("Same picture (S)"), tr("A copy of the same picture: another size, format or a light edit"),
                   [this] { judge(MarkVerdict::Same); });
    alike_ = button(tr("Alike (A)"), tr("Alike, but not the same picture"), [this] { judge(MarkVerdict::Alike); });
    different_ = button(tr("Different (D)"), tr("Not alike"), [this] { judge(MarkVerdict::Different); });
    skip_ = button(tr("Skip (Space)"), tr("No verdict; this pair is not asked again in this session"), [this] { skip(); });
    buttons->addStretch(1);
    tally_ = new QLabel(this);
    buttons->addWidget(tally_);
    column->addLayout(buttons);

    connect(service_, &LibraryService::pairsReady, this, &PairView::onPairs);
    connect(service_, &LibraryService::pairThresholdChanged, this, &PairView::setThreshold);
    connect(service_, &LibraryService::opened, this, [this](bool ok) {
        reset();
        if (ok && isVisible()) start();
    });
    reset();
}

void PairView::reset() {
    queue_.clear();
    history_.clear();
    seen_.clear();
    cache_.keepOnly({});
    shownThreshold_ = {};
    threshold_->clear();
    request_ = 0;
    pending_ = false;
    exhausted_ = false;
    started_ = false;
    verdicts_ = 0;
    error_.clear();
    showCurrent();
}

void PairView::start() {
    if (!service_->isOpen()) return;
    started_ = true;
    if (queue_.isEmpty()) exhausted_ = false;
    askMore();
    showCurrent();
}

void PairView::showInTabs() {
    for (QWidget* w = parentWidget(); w; w = w->parentWidget())
        if (auto* tabs = qobject_cast<QTabWidget*>(w)) {
            tabs->setCurrentWidget(this);
            return;
        }
}

bool PairView::isSettled() const { return !pending_ && !left_->isLoading() && !right_->isLoading(); }

QString PairView::thresholdText() const { return threshold_->text(); }
QString PairView::reasonText() const { return reason_->text(); }
QString PairView::captionText(int side) const { return (side == 0 ? left_ : right_)->caption(); }

void PairView::askMore() {
    if (pending_ || exhausted_ || !started_) return;
    QVector<Key> skip;
    for (const Key& k : seen_) skip.push_back(k);
    for (const PairItem& p : queue_) skip.push_back(keyOf(p));  // queued: ask for others
    pending_ = true;
    request_ = service_->requestPairs(kBatch, skip);
}

void PairView::onPairs(quint64 id, const QVector<PairItem>& pairs, const PairThreshold& threshold,
                       const QString& error) {
    if (id != request_) return;  // an older request's answer
    pending_ = false;
    error_ = error;
    if (!error.isEmpty()) {
        exhausted_ = true;
        showCurrent();
        return;
    }
    setThreshold(threshold);
    const bool wasEmpty = queue_.isEmpty();
    int added = 0;
    for (const PairItem& p : pairs) {
        if (seen_.contains(keyOf(p)) || queue_.contains(p)) continue;
        queue_.push_back(p);
        ++added;
    }
    if (added == 0) exhausted_ = true;
    if (wasEmpty) showCurrent();
    else if (queue_.size() > 1) {  // prefetch the next pair's pictures
        cache_.get(queue_[1].a);
        cache_.get(queue_[1].b);
    }
}

void PairView::showCurrent() {
    const bool have = !queue_.isEmpty();
    for (QPushButton* b : {same_, alike_, different_, skip_}) b->setEnabled(have);
    back_->setEnabled(!history_.isEmpty());
    tally_->setText(verdicts_ > 0 ? tr("%1 this session").arg(verdictCount(verdicts_)) : QString());
    if (!have) {
        left_->showPicture({}, cache_);
        right_->showPicture({}, cache_);
        reason_->clear();
        if (!started_)
            message_->setText(service_->isOpen() ? QString() : tr("Open a library to judge pairs of its pictures."));
        else if (pending_)
            message_->setText(tr("Looking for the pairs RuVision is least sure of…"));
        else if (!error_.isEmpty())
            message_->setText(tr("The engine could not choose pairs: %1").arg(error_));
        else
            message_->setText(history_.isEmpty()
                                  ? tr("No pairs to ask about: the library needs at least two indexed pictures.")
                                  : tr("No more pairs to ask about for now. Thank you."));
        return;
    }
    const PairItem& p = queue_.front();
    message_->clear();
    left_->showPicture(p.a, cache_);
    right_->showPicture(p.b, cache_);
    reason_->setText(tr("Score %1 (threshold %2) · asked because %3")
                         .arg(score3(p.score), score3(p.threshold), p.why));
    QStringList keep{p.a, p.b};
    if (queue_.size() > 1) {  // the next pair's pictures, decoded while this one is looked at
        keep << queue_[1].a << queue_[1].b;
        cache_.get(queue_[1].a);
        cache_.get(queue_[1].b);
    }
    if (!history_.isEmpty()) keep << history_.back().pair.a << history_.back().pair.b;  // for Back
    cache_.keepOnly(keep);
    if (queue_.size() < 3) askMore();
    emit pairShown(p);
}

void PairView::setThreshold(const PairThreshold& t) {
    if (!t.valid) return;
    shownThreshold_ = t;
    QString text = t.calibrated ? tr("Duplicate threshold %1 (calibrated from %2; default %3)")
                                      .arg(score3(t.threshold), verdictCount(t.verdicts), score3(t.defaultThreshold))
                                : tr("Duplicate threshold %1 (the default: a \"same\" and a \"not the same\" verdict "
                                     "calibrate it)")
                                      .arg(score3(t.threshold));
    if (t.adapterActive) text += tr("\nWhile an adapter is active the duplicates view uses its own default");
    threshold_->setText(text);
    emit thresholdShown(text);
}

void PairView::advance(bool marked, MarkVerdict verdict) {
    if (queue_.isEmpty()) return;
    const PairItem p = queue_.takeFirst();
    seen_.insert(keyOf(p));
    history_.push_back({p, marked});
    if (marked) {
        ++verdicts_;
        service_->markPair(p, verdict);
    }
    showCurrent();
}

void PairView::judge(MarkVerdict verdict) { advance(true, verdict); }
void PairView::skip() { advance(false, MarkVerdict::Alike); }

void PairView::back() {
    if (history_.isEmpty()) return;
    const Step s = history_.takeLast();
    seen_.remove(keyOf(s.pair));
    queue_.removeAll(s.pair);
    queue_.prepend(s.pair);
    if (s.marked) {
        --verdicts_;
        service_->unmarkPair(s.pair);
    }
    exhausted_ = false;
    showCurrent();
}

void PairView::keyPressEvent(QKeyEvent* event) {
    if (event->modifiers() & (Qt::ControlModifier | Qt::AltModifier | Qt::MetaModifier)) return QWidget::keyPressEvent(event);
    switch (event->key()) {
    case Qt::Key_S: return judge(MarkVerdict::Same);
    case Qt::Key_A: return judge(MarkVerdict::Alike);
    case Qt::Key_D: return judge(MarkVerdict::Different);
    case Qt::Key_Space: return skip();
    case Qt::Key_Backspace: return back();
    default: QWidget::keyPressEvent(event);
    }
}

void PairView::showEvent(QShowEvent* event) {
    QWidget::showEvent(event);
    setFocus();
    if (!started_) start();
}

}  // namespace rv::ui

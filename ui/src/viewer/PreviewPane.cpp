#include "PreviewPane.h"

#include <QSplitter>
#include <QVBoxLayout>

#include "PreviewWidget.h"
#include "InfoPanel.h"

namespace rv::ui {

PreviewPane::PreviewPane(QWidget* parent)
    : QWidget(parent), preview_(new PreviewWidget(this)), info_(new InfoPanel(this)) {
    auto* column = new QVBoxLayout(this);
    column->setContentsMargins(0, 0, 0, 0);
    auto* split = new QSplitter(Qt::Vertical, this);
    split->setChildrenCollapsible(false);
    split->addWidget(preview_);
    split->addWidget(info_);
    split->setStretchFactor(0, 3);
    split->setStretchFactor(1, 1);
    column->addWidget(split);
    info_->hide();
    connect(preview_, &PreviewWidget::pathChanged, info_, &InfoPanel::setPath);
    connect(preview_, &PreviewWidget::loaded, info_, [this](bool ok) {
        if (ok) info_->setDecodedSize(preview_->imageSize());
    });
}

void PreviewPane::setInfoVisible(bool visible) { info_->setVisible(visible); }

bool PreviewPane::isInfoVisible() const { return !info_->isHidden(); }

}  // namespace rv::ui

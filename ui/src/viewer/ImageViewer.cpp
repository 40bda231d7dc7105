#include "ImageViewer.h"

#include <QApplication>
#include <QEvent>
#include <QFileInfo>
#include <QHBoxLayout>
#include <QKeyEvent>
#include <QLabel>
#include <QToolButton>
#include <QVBoxLayout>

#include "ImageGrid.h"
#include "InfoPanel.h"
#include "PreviewWidget.h"

namespace rv::ui {

namespace {

constexpr int kInfoWidth = 340;  // px, the information column

QToolButton* barButton(const QString& text, const QString& tip, QWidget* parent) {
    auto* b = new QToolButton(parent);
    b->setText(text);
    b->setToolTip(tip);
    b->setAutoRaise(true);
    b->setFocusPolicy(Qt::NoFocus);  // the keys stay with the image
    return b;
}

}  // namespace

ImageViewer::ImageViewer(QWidget* window)
    : QWidget(window),
      preview_(new PreviewWidget(this)),
      info_(new InfoPanel(this)),
      name_(new QLabel(this)),
      position_(new QLabel(this)),
      zoom_(new QLabel(this)) {
    setObjectName(QStringLiteral("imageViewer"));
    // A dark room, as photo viewers have: the picture, not the window, is what is seen.
    QPalette dark = palette();
    for (auto role : {QPalette::Window, QPalette::Base, QPalette::Button, QPalette::AlternateBase})
        dark.setColor(role, QColor(28, 28, 28));
    for (auto role : {QPalette::WindowText, QPalette::Text, QPalette::ButtonText}) dark.setColor(role, QColor(225, 225, 225));
    dark.setColor(QPalette::PlaceholderText, QColor(150, 150, 150));
    setPalette(dark);
    setAutoFillBackground(true);

    back_ = barButton(tr("← Back"), tr("Back to the grid (Esc)"), this);
    similar_ = barButton(tr("Find Similar"), tr("Images that look like this one (Ctrl+F)"), this);
    similar_->setObjectName(QStringLiteral("findSimilarButton"));
    infoButton_ = barButton(tr("Information"), tr("File information: size, date, camera, exposure (I)"), this);
    infoButton_->setCheckable(true);
    name_->setTextInteractionFlags(Qt::TextSelectableByMouse);
    // Fixed widths: the bar does not jump as the numbers change.
    zoom_->setMinimumWidth(zoom_->fontMetrics().horizontalAdvance(QStringLiteral("3200 %")));
    zoom_->setAlignment(Qt::AlignRight | Qt::AlignVCenter);
    position_->setMinimumWidth(position_->fontMetrics().horizontalAdvance(QStringLiteral("100,000 / 100,000")));
    position_->setAlignment(Qt::AlignRight | Qt::AlignVCenter);
    QFont bold = name_->font();
    bold.setBold(true);
    name_->setFont(bold);

    auto* bar = new QHBoxLayout;
    bar->setContentsMargins(6, 4, 10, 4);
    bar->addWidget(back_);
    bar->addSpacing(8);
    bar->addWidget(name_, 1);
    bar->addWidget(position_);
    bar->addSpacing(12);
    bar->addWidget(zoom_);
    bar->addSpacing(12);
    bar->addWidget(similar_);
    bar->addWidget(infoButton_);

    info_->setFixedWidth(kInfoWidth);
    info_->hide();
    auto* body = new QHBoxLayout;
    body->setContentsMargins(0, 0, 0, 0);
    body->setSpacing(0);
    body->addWidget(preview_, 1);
    body->addWidget(info_);

    auto* column = new QVBoxLayout(this);
    column->setContentsMargins(0, 0, 0, 0);
    column->setSpacing(0);
    column->addLayout(bar);
    column->addLayout(body, 1);

    connect(back_, &QToolButton::clicked, this, &ImageViewer::close);
    connect(similar_, &QToolButton::clicked, this, [this] {
        if (!path_.isEmpty()) emit findSimilarRequested(path_);
    });
    connect(infoButton_, &QToolButton::toggled, this, &ImageViewer::setInfoVisible);
    connect(preview_, &PreviewWidget::zoomChanged, this,
            [this](double zoom) { zoom_->setText(tr("%1 %").arg(qRound(zoom * 100))); });
    connect(preview_, &PreviewWidget::loaded, this, [this](bool ok) {
        if (ok) info_->setDecodedSize(preview_->imageSize());
        else zoom_->clear();
    });

    window->installEventFilter(this);
    hide();
}

int ImageViewer::count() const {
    if (grid_ && row_ >= 0) return grid_->gridModel()->rowCount();
    return path_.isEmpty() ? 0 : 1;
}

QString ImageViewer::positionText() const {
    if (path_.isEmpty()) return {};
    return tr("%1 / %2").arg(QLocale().toString(row_ >= 0 ? row_ + 1 : 1), QLocale().toString(count()));
}

void ImageViewer::open(ImageGrid* grid, const QString& path) {
    if (path.isEmpty()) return;
    if (grid_ && grid_ != grid) disconnect(grid_->gridModel(), nullptr, this, nullptr);
    grid_ = grid;
    row_ = grid ? grid->gridModel()->rowOf(path) : -1;
    if (grid) {
        ImageGridModel* model = grid->gridModel();
        connect(model, &QAbstractItemModel::modelReset, this, &ImageViewer::followModel, Qt::UniqueConnection);
        connect(model, &QAbstractItemModel::rowsRemoved, this, &ImageViewer::followModel, Qt::UniqueConnection);
        connect(model, &QAbstractItemModel::rowsInserted, this, &ImageViewer::followModel, Qt::UniqueConnection);
    }
    if (!isOpen()) {
        focusBefore_ = QApplication::focusWidget();
        openedPath_ = grid ? grid->currentPath() : QString();
        if (parentWidget()) setGeometry(parentWidget()->rect());
        QWidget::show();
        raise();
    }
    showPath(path);
    preview_->setFocus(Qt::OtherFocusReason);
}

void ImageViewer::close() {
    if (!isOpen()) return;
    hide();
    const QString last = path_;
    if (grid_) {
        disconnect(grid_->gridModel(), nullptr, this, nullptr);
        // The same image: the grid is exactly as it was. Another one: it becomes the current item.
        if (last != openedPath_) {
            const int row = grid_->gridModel()->rowOf(last);
            if (row >= 0) {
                const QModelIndex index = grid_->gridModel()->index(row);
                grid_->setCurrentIndex(index);
                grid_->scrollTo(index, QAbstractItemView::EnsureVisible);
            }
        }
    }
    if (focusBefore_ && focusBefore_->isVisible()) focusBefore_->setFocus(Qt::OtherFocusReason);
    else if (grid_) grid_->setFocus(Qt::OtherFocusReason);
    preview_->clear();  // frees the decoded image
    info_->setPath(QString());
    path_.clear();
    row_ = -1;
    grid_ = nullptr;
    emit closed(last);
}

void ImageViewer::showPath(const QString& path) {
    path_ = path;
    preview_->setImage(path);
    info_->setPath(path);
    updateBar();
}

void ImageViewer::showRow(int row) {
    if (!grid_ || row < 0 || row >= grid_->gridModel()->rowCount()) return;
    row_ = row;
    showPath(grid_->gridModel()->pathAt(row));
}

void ImageViewer::next() {
    if (row_ >= 0 && row_ + 1 < count()) showRow(row_ + 1);
}

void ImageViewer::previous() {
    if (row_ > 0) showRow(row_ - 1);
}

void ImageViewer::first() {
    if (row_ > 0) showRow(0);
}

void ImageViewer::last() {
    if (row_ >= 0 && row_ + 1 < count()) showRow(count() - 1);
}

void ImageViewer::followModel() {
    if (!grid_ || !isOpen()) return;
    ImageGridModel* model = grid_->gridModel();
    const int row = model->rowOf(path_);
    if (row >= 0) {
        row_ = row;
        updateBar();
        return;
    }
    // The image left the grid (trashed, renamed, another folder listed): its neighbour, if any.
    if (model->rowCount() == 0 || row_ < 0) return close();
    showRow(std::min(row_, model->rowCount() - 1));
}

void ImageViewer::updateBar() {
    name_->setText(QFileInfo(path_).fileName());
    name_->setToolTip(path_);
    position_->setText(positionText());
    similar_->setEnabled(!path_.isEmpty());
}

void ImageViewer::setInfoVisible(bool visible) {
    if (visible == isInfoVisible()) return;
    info_->setVisible(visible);
    infoButton_->setChecked(visible);
    emit infoVisibleChanged(visible);
}

bool ImageViewer::isInfoVisible() const { return !info_->isHidden(); }

void ImageViewer::keyPressEvent(QKeyEvent* event) {
    const auto key = event->key();
    const auto mods = event->modifiers() & ~Qt::KeypadModifier;
    if (key == Qt::Key_Escape || key == Qt::Key_F11) {
        close();
    } else if (mods == Qt::NoModifier && (key == Qt::Key_Left || key == Qt::Key_Backspace || key == Qt::Key_PageUp)) {
        previous();
    } else if (mods == Qt::NoModifier && (key == Qt::Key_Right || key == Qt::Key_Space || key == Qt::Key_PageDown)) {
        next();
    } else if (mods == Qt::NoModifier && key == Qt::Key_Home) {
        first();
    } else if (mods == Qt::NoModifier && key == Qt::Key_End) {
        last();
    } else if (mods == Qt::NoModifier && key == Qt::Key_I) {
        setInfoVisible(!isInfoVisible());
    } else if (mods == Qt::ControlModifier && key == Qt::Key_F) {
        if (!path_.isEmpty()) emit findSimilarRequested(path_);
    } else {
        QWidget::keyPressEvent(event);
        return;
    }
    event->accept();
}

bool ImageViewer::eventFilter(QObject* watched, QEvent* event) {
    if (watched == parentWidget() && event->type() == QEvent::Resize && isOpen()) setGeometry(parentWidget()->rect());
    return QWidget::eventFilter(watched, event);
}

}  // namespace rv::ui

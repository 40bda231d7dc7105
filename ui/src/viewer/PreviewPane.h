// The preview dock's content: the PreviewWidget over an InfoPanel (shown on demand) that follows
// the previewed file.
//
// Thread: GUI thread.
#pragma once

#include <QWidget>

namespace rv::ui {

class InfoPanel;
class PreviewWidget;

class PreviewPane : public QWidget {
    Q_OBJECT
public:
    explicit PreviewPane(QWidget* parent = nullptr);

    PreviewWidget* preview() const { return preview_; }
    InfoPanel* info() const { return info_; }
    void setInfoVisible(bool visible);
    bool isInfoVisible() const;

private:
    PreviewWidget* preview_;
    InfoPanel* info_;
};

}  // namespace rv::ui

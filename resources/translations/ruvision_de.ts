<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="de_DE">
<context>
    <name>MapPainter</name>
    <message numerus="yes">
        <source>%Ln image(s)</source>
        <translation>
            <numerusform>%Ln Bild</numerusform>
            <numerusform>%Ln Bilder</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>QObject</name>
    <message>
        <source>not enough memory</source>
        <translation>nicht genug Arbeitsspeicher</translation>
    </message>
    <message>
        <source>xdg-open refused the command line</source>
        <translation>xdg-open hat die Befehlszeile abgelehnt</translation>
    </message>
    <message>
        <source>the file does not exist</source>
        <translation>die Datei existiert nicht</translation>
    </message>
    <message>
        <source>a tool xdg-open needs is missing (no desktop environment or MIME tools found)</source>
        <translation>ein Programm, das xdg-open braucht, fehlt (keine Desktopumgebung oder MIME-Werkzeuge gefunden)</translation>
    </message>
    <message>
        <source>no application could open it</source>
        <translation>kein Programm konnte sie öffnen</translation>
    </message>
    <message>
        <source>xdg-open ended with status %1</source>
        <translation>xdg-open wurde mit Status %1 beendet</translation>
    </message>
    <message>
        <source>Cannot open %1: %2 could not be started (%3)</source>
        <translation>%1 kann nicht geöffnet werden: %2 konnte nicht gestartet werden (%3)</translation>
    </message>
    <message>
        <source>%1 crashed</source>
        <translation>%1 ist abgestürzt</translation>
    </message>
    <message>
        <source>%1 ended with status %2</source>
        <translation>%1 wurde mit Status %2 beendet</translation>
    </message>
    <message>
        <source>Cannot open %1: %2</source>
        <translation>%1 kann nicht geöffnet werden: %2</translation>
    </message>
    <message>
        <source>xdg-open is not installed: install xdg-utils.</source>
        <translation>xdg-open ist nicht installiert: Installieren Sie xdg-utils.</translation>
    </message>
    <message>
        <source>Cannot open %1: xdg-open is not installed: install xdg-utils.</source>
        <translation>%1 kann nicht geöffnet werden: xdg-open ist nicht installiert: Installieren Sie xdg-utils.</translation>
    </message>
    <message>
        <source>Cannot show %1: the folder %2 no longer exists.</source>
        <translation>%1 kann nicht angezeigt werden: Der Ordner %2 existiert nicht mehr.</translation>
    </message>
    <message>
        <source>The name is empty</source>
        <translation>Der Name ist leer</translation>
    </message>
    <message>
        <source>A name cannot contain “/”</source>
        <translation>Ein Name darf kein „/“ enthalten</translation>
    </message>
    <message>
        <source>“%1” is not a file name</source>
        <translation>„%1“ ist kein Dateiname</translation>
    </message>
    <message>
        <source>The file no longer exists</source>
        <translation>Die Datei existiert nicht mehr</translation>
    </message>
    <message>
        <source>The name is unchanged</source>
        <translation>Der Name ist unverändert</translation>
    </message>
    <message>
        <source>“%1” already exists in this folder</source>
        <translation>„%1“ existiert bereits in diesem Ordner</translation>
    </message>
    <message>
        <source>File not found</source>
        <translation>Datei nicht gefunden</translation>
    </message>
    <message>
        <source>Cannot move to the trash</source>
        <translation>Kann nicht in den Papierkorb verschoben werden</translation>
    </message>
    <message>
        <source>Not a file in a trash folder: %1</source>
        <translation>Keine Datei in einem Papierkorb-Ordner: %1</translation>
    </message>
    <message>
        <source>The trash has no record of this file</source>
        <translation>Der Papierkorb hat keinen Eintrag zu dieser Datei</translation>
    </message>
    <message>
        <source>No longer in the trash</source>
        <translation>Nicht mehr im Papierkorb</translation>
    </message>
    <message>
        <source>Another file is already at this path</source>
        <translation>An diesem Pfad liegt bereits eine andere Datei</translation>
    </message>
    <message>
        <source>Cannot create the folder %1</source>
        <translation>Der Ordner %1 kann nicht angelegt werden</translation>
    </message>
    <message>
        <source>Cannot move back from the trash</source>
        <translation>Kann nicht aus dem Papierkorb zurückgeholt werden</translation>
    </message>
    <message>
        <source>The name is empty.</source>
        <translation>Der Name ist leer.</translation>
    </message>
    <message>
        <source>A name cannot contain “/”.</source>
        <translation>Ein Name darf kein „/“ enthalten.</translation>
    </message>
    <message>
        <source>“%1” is not a file name.</source>
        <translation>„%1“ ist kein Dateiname.</translation>
    </message>
    <message>
        <source>The name is unchanged.</source>
        <translation>Der Name ist unverändert.</translation>
    </message>
    <message>
        <source>Rename</source>
        <translation>Umbenennen</translation>
    </message>
    <message>
        <source>New name for %1 in %2:</source>
        <translation>Neuer Name für %1 in %2:</translation>
    </message>
    <message>
        <source>1/%1 s</source>
        <translation>1/%1 s</translation>
    </message>
    <message>
        <source>%1 s</source>
        <translation>%1 s</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>Name</translation>
    </message>
    <message>
        <source>Dimensions</source>
        <translation>Abmessungen</translation>
    </message>
    <message>
        <source>%1 × %2 px (%3 MP)</source>
        <translation>%1 × %2 px (%3 MP)</translation>
    </message>
    <message>
        <source>File size</source>
        <translation>Dateigröße</translation>
    </message>
    <message>
        <source>%1 (%2 bytes)</source>
        <translation>%1 (%2 Byte)</translation>
    </message>
    <message>
        <source>Format</source>
        <translation>Format</translation>
    </message>
    <message>
        <source>Taken</source>
        <translation>Aufgenommen</translation>
    </message>
    <message>
        <source> (EXIF date)</source>
        <translation> (EXIF-Datum)</translation>
    </message>
    <message>
        <source>Modified</source>
        <translation>Geändert</translation>
    </message>
    <message>
        <source> (file date; no EXIF date)</source>
        <translation> (Dateidatum; kein EXIF-Datum)</translation>
    </message>
    <message>
        <source>Camera</source>
        <translation>Kamera</translation>
    </message>
    <message>
        <source>Lens</source>
        <translation>Objektiv</translation>
    </message>
    <message>
        <source>ISO %1</source>
        <translation>ISO %1</translation>
    </message>
    <message>
        <source>%1 mm</source>
        <translation>%1 mm</translation>
    </message>
    <message>
        <source>Exposure</source>
        <translation>Belichtung</translation>
    </message>
    <message>
        <source>EXIF</source>
        <translation>EXIF</translation>
    </message>
    <message>
        <source>damaged: %1</source>
        <translation>beschädigt: %1</translation>
    </message>
    <message>
        <source>Folder</source>
        <translation>Ordner</translation>
    </message>
    <message>
        <source>Path</source>
        <translation>Pfad</translation>
    </message>
    <message>
        <source>%1 s left</source>
        <translation>noch %1 s</translation>
    </message>
    <message>
        <source>%1 min left</source>
        <translation>noch %1 min</translation>
    </message>
    <message>
        <source>%1 h %2 min left</source>
        <translation>noch %1 h %2 min</translation>
    </message>
    <message numerus="yes">
        <source>%Ln file(s) in formats RuVision cannot read: %1</source>
        <translation>
            <numerusform>%Ln Datei in einem Format, das RuVision nicht lesen kann: %1</numerusform>
            <numerusform>%Ln Dateien in Formaten, die RuVision nicht lesen kann: %1</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>rv::ui::CompareDialog</name>
    <message>
        <source>Compare: with and without what RuVision learned</source>
        <translation>Vergleich: mit und ohne das von RuVision Gelernte</translation>
    </message>
    <message>
        <source>&lt;b&gt;Without the adapter&lt;/b&gt; (the plain features, as before any learning)</source>
        <translation>&lt;b&gt;Ohne Adapter&lt;/b&gt; (die reinen Merkmale, wie vor allem Lernen)</translation>
    </message>
    <message>
        <source>&lt;b&gt;With adapter version %1&lt;/b&gt; (what search shows now)</source>
        <translation>&lt;b&gt;Mit Adapter-Version %1&lt;/b&gt; (was die Suche jetzt zeigt)</translation>
    </message>
    <message>
        <source>&lt;b&gt;With the fast adapter only&lt;/b&gt; (no version is active)</source>
        <translation>&lt;b&gt;Nur mit dem schnellen Adapter&lt;/b&gt; (keine Version ist aktiv)</translation>
    </message>
    <message>
        <source>Searching for images like %1 both ways…</source>
        <translation>Suche nach Bildern wie %1 auf beide Arten …</translation>
    </message>
    <message>
        <source>Compare failed: %1</source>
        <translation>Vergleich fehlgeschlagen: %1</translation>
    </message>
    <message>
        <source>Of the first 10 results, %1 are in a different place and %2 are new with the adapter.</source>
        <translation>Von den ersten 10 Ergebnissen stehen mit dem Adapter %1 an anderer Stelle und %2 sind neu.</translation>
    </message>
</context>
<context>
    <name>rv::ui::DuplicateCards</name>
    <message numerus="yes">
        <source>%n file(s)</source>
        <translation>
            <numerusform>%n Datei</numerusform>
            <numerusform>%n Dateien</numerusform>
        </translation>
    </message>
    <message>
        <source>No near-duplicates to show.</source>
        <translation>Keine Beinahe-Duplikate anzuzeigen.</translation>
    </message>
    <message>
        <source>Group %1 · %2</source>
        <translation>Gruppe %1 · %2</translation>
    </message>
    <message>
        <source> · Similar pictures, none a verified copy of another: every file is kept</source>
        <translation> · Ähnliche Bilder, keines eine geprüfte Kopie eines anderen: Alle Dateien bleiben erhalten</translation>
    </message>
    <message>
        <source> · Suggested keep: %1 (%2)</source>
        <translation> · Zum Behalten vorgeschlagen: %1 (%2)</translation>
    </message>
    <message>
        <source>Checked: kept. Unchecked: moved to the Trash by “Move Unchecked to Trash…”.
At least one file of each group stays checked.</source>
        <translation>Angehakt: wird behalten. Abgewählt: wird mit „Abgewählte in den Papierkorb …“ in den Papierkorb verschoben.
In jeder Gruppe bleibt mindestens eine Datei angehakt.</translation>
    </message>
    <message>
        <source>Similar, not verified: the pixels do not show that this is the same picture, so it is always kept.
</source>
        <translation>Ähnlich, nicht bestätigt: Die Pixel zeigen nicht, dass es dasselbe Bild ist, daher wird es immer behalten.
</translation>
    </message>
    <message>
        <source>
The group&apos;s reference picture</source>
        <translation>
Das Referenzbild der Gruppe</translation>
    </message>
    <message>
        <source>
Similarity to the group&apos;s first picture: %1</source>
        <translation>
Ähnlichkeit zum ersten Bild der Gruppe: %1</translation>
    </message>
    <message>
        <source>
Verified on pixels: the same picture</source>
        <translation>
An den Pixeln bestätigt: dasselbe Bild</translation>
    </message>
    <message>
        <source>
Similar, not verified: </source>
        <translation>
Ähnlich, nicht bestätigt: </translation>
    </message>
    <message>
        <source>
Suggested keep: %1</source>
        <translation>
Zum Behalten vorgeschlagen: %1</translation>
    </message>
    <message>
        <source>
Unchecked: goes to the Trash with “Move Unchecked to Trash…”</source>
        <translation>
Abgewählt: kommt mit „Abgewählte in den Papierkorb …“ in den Papierkorb</translation>
    </message>
    <message>
        <source>
Click to preview; double-click or Enter also opens a hidden preview</source>
        <translation>
Klicken für die Vorschau; Doppelklick oder Eingabetaste öffnet auch eine ausgeblendete Vorschau</translation>
    </message>
    <message>
        <source>Files are being moved to the Trash.</source>
        <translation>Dateien werden in den Papierkorb verschoben.</translation>
    </message>
    <message>
        <source>Similar, but not verified to be the same picture: it stays.</source>
        <translation>Ähnlich, aber nicht als dasselbe Bild bestätigt: Es bleibt.</translation>
    </message>
    <message>
        <source>At least one file of each group is kept.</source>
        <translation>Von jeder Gruppe wird mindestens eine Datei behalten.</translation>
    </message>
    <message>
        <source>size unknown</source>
        <translation>Größe unbekannt</translation>
    </message>
    <message>
        <source>No preview</source>
        <translation>Keine Vorschau</translation>
    </message>
    <message>
        <source>Loading…</source>
        <translation>Wird geladen …</translation>
    </message>
    <message>
        <source>Trash</source>
        <translation>Papierkorb</translation>
    </message>
    <message>
        <source>Suggested</source>
        <translation>Vorgeschlagen</translation>
    </message>
    <message>
        <source>similar, not verified</source>
        <translation>ähnlich, nicht bestätigt</translation>
    </message>
    <message>
        <source>Keep</source>
        <translation>Behalten</translation>
    </message>
    <message>
        <source>reference</source>
        <translation>Referenz</translation>
    </message>
    <message>
        <source>similar</source>
        <translation>ähnlich</translation>
    </message>
</context>
<context>
    <name>rv::ui::DuplicatesView</name>
    <message numerus="yes">
        <source>%n group(s)</source>
        <translation>
            <numerusform>%n Gruppe</numerusform>
            <numerusform>%n Gruppen</numerusform>
        </translation>
    </message>
    <message>
        <source>most pixels</source>
        <translation>meiste Pixel</translation>
    </message>
    <message>
        <source>not turned</source>
        <translation>nicht gedreht</translation>
    </message>
    <message>
        <source>largest file</source>
        <translation>größte Datei</translation>
    </message>
    <message>
        <source>oldest file</source>
        <translation>älteste Datei</translation>
    </message>
    <message>
        <source>name without a copy mark</source>
        <translation>Name ohne Kopie-Kennzeichen</translation>
    </message>
    <message>
        <source>the first of equal files</source>
        <translation>die erste gleicher Dateien</translation>
    </message>
    <message>
        <source>, </source>
        <translation>, </translation>
    </message>
    <message>
        <source>Move these %1 (%2) to the Trash?</source>
        <translation>Diese %1 (%2) in den Papierkorb verschieben?</translation>
    </message>
    <message>
        <source>…and %1 more (see Details).</source>
        <translation>… und %1 weitere (siehe Details).</translation>
    </message>
    <message>
        <source>Each was verified on its pixels to be the same picture as a file that stays. Undo Trash (Ctrl+Z) brings them back.</source>
        <translation>Jede wurde an ihren Pixeln als dasselbe Bild wie eine bleibende Datei bestätigt. „Papierkorb rückgängig“ (Strg+Z) holt sie zurück.</translation>
    </message>
    <message>
        <source>Keep Suggested</source>
        <translation>Vorschläge behalten</translation>
    </message>
    <message>
        <source>In every group, keep only the suggested file: the most pixels; on equal pixels the one not turned, then the clearly larger file, the oldest, a name without a copy mark</source>
        <translation>In jeder Gruppe nur die vorgeschlagene Datei behalten: die mit den meisten Pixeln; bei gleich vielen die nicht gedrehte, dann die deutlich größere Datei, die älteste, ein Name ohne Kopie-Kennzeichen</translation>
    </message>
    <message>
        <source>Move Unchecked to Trash…</source>
        <translation>Abgewählte in den Papierkorb …</translation>
    </message>
    <message>
        <source>Move every file whose Keep box is unchecked to the desktop Trash, after confirming. Files can be restored from the Trash.</source>
        <translation>Jede Datei, deren Feld „Behalten“ abgewählt ist, nach Bestätigung in den Papierkorb des Desktops verschieben. Dateien lassen sich aus dem Papierkorb wiederherstellen.</translation>
    </message>
    <message>
        <source>Undo Trash</source>
        <translation>Papierkorb rückgängig</translation>
    </message>
    <message>
        <source>Move the files of the last trash back to where they were (%1)</source>
        <translation>Die zuletzt in den Papierkorb verschobenen Dateien an ihren alten Ort zurückholen (%1)</translation>
    </message>
    <message>
        <source>Move to Trash</source>
        <translation>In den Papierkorb verschieben</translation>
    </message>
    <message>
        <source>No near-duplicate groups.</source>
        <translation>Keine Gruppen von Beinahe-Duplikaten.</translation>
    </message>
    <message>
        <source>%1 of near-duplicates · %2 unchecked (%3)</source>
        <translation>%1 mit Beinahe-Duplikaten · %2 abgewählt (%3)</translation>
    </message>
    <message>
        <source>Moving to Trash…</source>
        <translation>Wird in den Papierkorb verschoben …</translation>
    </message>
    <message>
        <source>%1 could not be brought back from the Trash:</source>
        <translation>Nicht aus dem Papierkorb zurückgeholt (%1):</translation>
    </message>
    <message>
        <source>%1 could not be moved to the Trash and stayed in place:</source>
        <translation>Nicht in den Papierkorb verschoben, am Ort geblieben (%1):</translation>
    </message>
    <message>
        <source>…and %1 more.</source>
        <translation>… und %1 weitere.</translation>
    </message>
    <message>
        <source>Not a Duplicate</source>
        <translation>Kein Duplikat</translation>
    </message>
    <message>
        <source>The selected picture is not the same picture as its group&apos;s first one: it leaves the group, and RuVision learns from it (N)</source>
        <translation>Das ausgewählte Bild ist nicht dasselbe wie das erste seiner Gruppe: Es verlässt die Gruppe, und RuVision lernt daraus (N)</translation>
    </message>
    <message>
        <source>; click a card first</source>
        <translation>; zuerst eine Karte anklicken</translation>
    </message>
    <message>
        <source>Not a Duplicate of the Others</source>
        <translation>Kein Duplikat der anderen</translation>
    </message>
    <message>
        <source>None of This Group Are Duplicates</source>
        <translation>Keines in dieser Gruppe ist ein Duplikat</translation>
    </message>
    <message>
        <source>Preview</source>
        <translation>Vorschau</translation>
    </message>
</context>
<context>
    <name>rv::ui::FileCommands</name>
    <message>
        <source>Move to Trash</source>
        <translation>In den Papierkorb verschieben</translation>
    </message>
    <message>
        <source>Move “%1” to the trash?</source>
        <translation>„%1“ in den Papierkorb verschieben?</translation>
    </message>
    <message>
        <source>From %1. RuVision forgets it; Undo (Ctrl+Z) or the desktop&apos;s trash brings it back.</source>
        <translation>Aus %1. RuVision vergisst sie; Rückgängig (Strg+Z) oder der Papierkorb des Desktops holt sie zurück.</translation>
    </message>
    <message>
        <source>&amp;Undo Move to Trash</source>
        <translation>&amp;Rückgängig: In den Papierkorb verschieben</translation>
    </message>
    <message>
        <source>%1 could not be moved to the trash: %2</source>
        <translation>%1 konnte nicht in den Papierkorb verschoben werden: %2</translation>
    </message>
    <message>
        <source>Undo Move to Trash</source>
        <translation>Rückgängig: In den Papierkorb verschieben</translation>
    </message>
    <message>
        <source>%1 could not be brought back from the trash: %2</source>
        <translation>%1 konnte nicht aus dem Papierkorb zurückgeholt werden: %2</translation>
    </message>
    <message>
        <source>Rename</source>
        <translation>Umbenennen</translation>
    </message>
    <message>
        <source>%1 cannot be renamed to “%2”: %3</source>
        <translation>%1 kann nicht in „%2“ umbenannt werden: %3</translation>
    </message>
    <message>
        <source>Open With System Viewer</source>
        <translation>Mit Systembetrachter öffnen</translation>
    </message>
    <message>
        <source>Open Containing Folder</source>
        <translation>Enthaltenden Ordner öffnen</translation>
    </message>
</context>
<context>
    <name>rv::ui::FolderTree</name>
    <message>
        <source>Open in File Manager</source>
        <translation>Im Dateimanager öffnen</translation>
    </message>
    <message>
        <source>Remove Folder from Library…</source>
        <translation>Ordner aus der Bibliothek entfernen …</translation>
    </message>
    <message>
        <source>RuVision forgets this folder&apos;s pictures; nothing on disk is touched</source>
        <translation>RuVision vergisst die Bilder dieses Ordners; auf der Festplatte wird nichts verändert</translation>
    </message>
</context>
<context>
    <name>rv::ui::FolderTreeModel</name>
    <message>
        <source>%1 (offline)</source>
        <translation>%1 (nicht verfügbar)</translation>
    </message>
    <message>
        <source>%1
Offline: %2. Its pictures stay in the library until it returns.</source>
        <translation>%1
Nicht verfügbar: %2. Seine Bilder bleiben in der Bibliothek, bis er wieder da ist.</translation>
    </message>
    <message>
        <source>folder not found</source>
        <translation>Ordner nicht gefunden</translation>
    </message>
    <message>
        <source>%1
This folder cannot be read</source>
        <translation>%1
Dieser Ordner kann nicht gelesen werden</translation>
    </message>
</context>
<context>
    <name>rv::ui::ImageGridModel</name>
    <message>
        <source>same picture</source>
        <translation>dasselbe Bild</translation>
    </message>
    <message>
        <source>very similar</source>
        <translation>sehr ähnlich</translation>
    </message>
    <message>
        <source>related</source>
        <translation>verwandt</translation>
    </message>
    <message>
        <source>
A copy of #%1: %2</source>
        <translation>
Eine Kopie von #%1: %2</translation>
    </message>
    <message>
        <source>
Rank #%1</source>
        <translation>
Rang #%1</translation>
    </message>
    <message>
        <source>
Score %1</source>
        <translation>
Wert %1</translation>
    </message>
    <message>
        <source>
Score %1: %2</source>
        <translation>
Wert %1: %2</translation>
    </message>
    <message>
        <source>
Its copies are shown after it (click the badge or press Space to hide them)</source>
        <translation>
Seine Kopien werden danach gezeigt (zum Ausblenden auf das Etikett klicken oder Leertaste drücken)</translation>
    </message>
    <message numerus="yes">
        <source>
%n more file(s) are copies of this picture</source>
        <translation>
            <numerusform>
Eine weitere Datei ist eine Kopie dieses Bildes</numerusform>
            <numerusform>
%n weitere Dateien sind Kopien dieses Bildes</numerusform>
        </translation>
    </message>
    <message>
        <source> (click the badge or press Space to show)</source>
        <translation> (zum Anzeigen auf das Etikett klicken oder Leertaste drücken)</translation>
    </message>
    <message>
        <source>
Marked alike to the query</source>
        <translation>
Als ähnlich zum Suchbild markiert</translation>
    </message>
    <message>
        <source>
Marked different from the query</source>
        <translation>
Als verschieden vom Suchbild markiert</translation>
    </message>
    <message>
        <source>
No thumbnail: cannot read this file</source>
        <translation>
Kein Vorschaubild: Diese Datei kann nicht gelesen werden</translation>
    </message>
</context>
<context>
    <name>rv::ui::ImageViewer</name>
    <message>
        <source>← Back</source>
        <translation>← Zurück</translation>
    </message>
    <message>
        <source>Back to the grid (Esc)</source>
        <translation>Zurück zum Raster (Esc)</translation>
    </message>
    <message>
        <source>Find Similar</source>
        <translation>Ähnliche suchen</translation>
    </message>
    <message>
        <source>Images that look like this one (Ctrl+F)</source>
        <translation>Bilder, die diesem ähnlich sehen (Strg+F)</translation>
    </message>
    <message>
        <source>Information</source>
        <translation>Informationen</translation>
    </message>
    <message>
        <source>File information: size, date, camera, exposure (I)</source>
        <translation>Dateiinformationen: Größe, Datum, Kamera, Belichtung (I)</translation>
    </message>
    <message>
        <source>%1 %</source>
        <translation>%1 %</translation>
    </message>
    <message>
        <source>%1 / %2</source>
        <translation>%1 / %2</translation>
    </message>
</context>
<context>
    <name>rv::ui::IndexingPanel</name>
    <message>
        <source>Cancel</source>
        <translation>Abbrechen</translation>
    </message>
    <message>
        <source>Stop indexing; what is done is kept and the next start resumes</source>
        <translation>Indizierung anhalten; Erledigtes bleibt erhalten und der nächste Start macht weiter</translation>
    </message>
    <message>
        <source>Files that could not be indexed, and why</source>
        <translation>Dateien, die nicht indiziert werden konnten, und warum</translation>
    </message>
    <message>
        <source>Scanning folders…</source>
        <translation>Ordner werden durchsucht …</translation>
    </message>
    <message>
        <source>Indexing %L1 / %L2 · %3 img/s</source>
        <translation>Indizierung %L1 / %L2 · %3 Bilder/s</translation>
    </message>
    <message numerus="yes">
        <source>%n error(s)</source>
        <translation>
            <numerusform>%n Fehler</numerusform>
            <numerusform>%n Fehler</numerusform>
        </translation>
    </message>
    <message>
        <source>Indexing failed: %1</source>
        <translation>Indizierung fehlgeschlagen: %1</translation>
    </message>
    <message numerus="yes">
        <source>%n error(s)…</source>
        <translation>
            <numerusform>%n Fehler …</numerusform>
            <numerusform>%n Fehler …</numerusform>
        </translation>
    </message>
    <message>
        <source>Files That Could Not Be Indexed</source>
        <translation>Nicht indizierbare Dateien</translation>
    </message>
    <message>
        <source>Convert them to JPEG, PNG, WebP, TIFF or HEIC to find them by their picture.</source>
        <translation>Wandeln Sie sie in JPEG, PNG, WebP, TIFF oder HEIC um, um sie über ihr Bild zu finden.</translation>
    </message>
    <message>
        <source>File</source>
        <translation>Datei</translation>
    </message>
    <message>
        <source>Folder</source>
        <translation>Ordner</translation>
    </message>
    <message>
        <source>Reason</source>
        <translation>Grund</translation>
    </message>
    <message>
        <source>Copy List</source>
        <translation>Liste kopieren</translation>
    </message>
    <message numerus="yes">
        <source>Indexing cancelled: %Ln new image(s) indexed; the rest resumes next time</source>
        <translation>
            <numerusform>Indizierung abgebrochen: %Ln neues Bild indiziert; der Rest folgt beim nächsten Mal</numerusform>
            <numerusform>Indizierung abgebrochen: %Ln neue Bilder indiziert; der Rest folgt beim nächsten Mal</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Up to date: %Ln image(s) (%L1 new, %L2 moved, %L3 removed) in %4 s</source>
        <translation>
            <numerusform>Aktuell: %Ln Bild (%L1 neu, %L2 verschoben, %L3 entfernt) in %4 s</numerusform>
            <numerusform>Aktuell: %Ln Bilder (%L1 neu, %L2 verschoben, %L3 entfernt) in %4 s</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>rv::ui::InfoPanel</name>
    <message>
        <source>&lt;i&gt;Reading…&lt;/i&gt;</source>
        <translation>&lt;i&gt;Wird gelesen …&lt;/i&gt;</translation>
    </message>
    <message>
        <source>Cannot read %1</source>
        <translation>%1 kann nicht gelesen werden</translation>
    </message>
</context>
<context>
    <name>rv::ui::LearningPanel</name>
    <message>
        <source>Learn Now</source>
        <translation>Jetzt lernen</translation>
    </message>
    <message>
        <source>Train a new version on every mark now; it becomes active only if it orders the held-out marks better than the active one</source>
        <translation>Jetzt eine neue Version mit allen Markierungen trainieren; sie wird nur aktiv, wenn sie die zurückgehaltenen Markierungen besser ordnet als die aktive</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>Abbrechen</translation>
    </message>
    <message>
        <source>Learn in the background</source>
        <translation>Im Hintergrund lernen</translation>
    </message>
    <message>
        <source>After 10 new marks and 20 s without another, learn by itself (never while indexing)</source>
        <translation>Nach 10 neuen Markierungen und 20 s ohne weitere selbstständig lernen (nie während der Indizierung)</translation>
    </message>
    <message>
        <source>Compare…</source>
        <translation>Vergleichen …</translation>
    </message>
    <message>
        <source>The current query&apos;s results with and without the adapter, side by side</source>
        <translation>Die Ergebnisse der aktuellen Suche mit und ohne Adapter nebeneinander</translation>
    </message>
    <message>
        <source>Marks</source>
        <translation>Markierungen</translation>
    </message>
    <message>
        <source>Filter by file name</source>
        <translation>Nach Dateiname filtern</translation>
    </message>
    <message>
        <source>All verdicts</source>
        <translation>Alle Urteile</translation>
    </message>
    <message>
        <source>Alike</source>
        <translation>Ähnlich</translation>
    </message>
    <message>
        <source>Different</source>
        <translation>Verschieden</translation>
    </message>
    <message>
        <source>Verdict</source>
        <translation>Urteil</translation>
    </message>
    <message>
        <source>alike</source>
        <translation>ähnlich</translation>
    </message>
    <message>
        <source>different</source>
        <translation>verschieden</translation>
    </message>
    <message>
        <source>Source</source>
        <translation>Herkunft</translation>
    </message>
    <message>
        <source>Remove</source>
        <translation>Entfernen</translation>
    </message>
    <message>
        <source>Remove the selected marks from the library (Del in the list)</source>
        <translation>Die ausgewählten Markierungen aus der Bibliothek entfernen (Entf in der Liste)</translation>
    </message>
    <message>
        <source>Remove Marks</source>
        <translation>Markierungen entfernen</translation>
    </message>
    <message>
        <source>Export…</source>
        <translation>Exportieren …</translation>
    </message>
    <message>
        <source>Import…</source>
        <translation>Importieren …</translation>
    </message>
    <message>
        <source>Export Marks</source>
        <translation>Markierungen exportieren</translation>
    </message>
    <message>
        <source>JSON lines (*.jsonl *.json);;All files (*)</source>
        <translation>JSON-Zeilen (*.jsonl *.json);;Alle Dateien (*)</translation>
    </message>
    <message>
        <source>Import Marks</source>
        <translation>Markierungen importieren</translation>
    </message>
    <message>
        <source>Adapter versions</source>
        <translation>Adapter-Versionen</translation>
    </message>
    <message>
        <source>Activate</source>
        <translation>Aktivieren</translation>
    </message>
    <message>
        <source>Use No Adapter</source>
        <translation>Keinen Adapter verwenden</translation>
    </message>
    <message>
        <source>Search on the plain features, exactly as before any learning</source>
        <translation>Mit den reinen Merkmalen suchen, genau wie vor allem Lernen</translation>
    </message>
    <message>
        <source>Learning in the background from the new marks…</source>
        <translation>Lernt im Hintergrund aus den neuen Markierungen …</translation>
    </message>
    <message>
        <source>Learning…</source>
        <translation>Lernt …</translation>
    </message>
    <message>
        <source>Activating version %1…</source>
        <translation>Version %1 wird aktiviert …</translation>
    </message>
    <message>
        <source>Switching the adapter off…</source>
        <translation>Adapter wird ausgeschaltet …</translation>
    </message>
    <message>
        <source>Waiting for indexing to finish…</source>
        <translation>Warten, bis die Indizierung fertig ist …</translation>
    </message>
    <message>
        <source>Training: step %1 of %2</source>
        <translation>Training: Schritt %1 von %2</translation>
    </message>
    <message>
        <source>Re-projecting: %L1 of %L2 features</source>
        <translation>Neu projizieren: %L1 von %L2 Merkmalen</translation>
    </message>
    <message numerus="yes">
        <source>Exported %n mark(s) to %1.</source>
        <translation>
            <numerusform>%n Markierung nach %1 exportiert.</numerusform>
            <numerusform>%n Markierungen nach %1 exportiert.</numerusform>
        </translation>
    </message>
    <message>
        <source>Export failed: %1</source>
        <translation>Export fehlgeschlagen: %1</translation>
    </message>
    <message>
        <source>Import failed, nothing stored: %1</source>
        <translation>Import fehlgeschlagen, nichts gespeichert: %1</translation>
    </message>
    <message numerus="yes">
        <source>Imported %n mark(s) from %1.</source>
        <translation>
            <numerusform>%n Markierung aus %1 importiert.</numerusform>
            <numerusform>%n Markierungen aus %1 importiert.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n line(s) could not be placed:</source>
        <translation>
            <numerusform>%n Zeile konnte nicht zugeordnet werden:</numerusform>
            <numerusform>%n Zeilen konnten nicht zugeordnet werden:</numerusform>
        </translation>
    </message>
    <message>
        <source>The marks cannot be listed: %1</source>
        <translation>Die Markierungen können nicht aufgelistet werden: %1</translation>
    </message>
    <message>
        <source>The adapter versions cannot be listed: %1</source>
        <translation>Die Adapter-Versionen können nicht aufgelistet werden: %1</translation>
    </message>
    <message>
        <source>Learning cancelled: nothing was stored.</source>
        <translation>Lernen abgebrochen: Nichts wurde gespeichert.</translation>
    </message>
    <message>
        <source>Learning failed: %1</source>
        <translation>Lernen fehlgeschlagen: %1</translation>
    </message>
    <message numerus="yes">
        <source>Version %1 learned from %n mark(s), active: held-out %2 → %3.</source>
        <translation>
            <numerusform>Version %1 aus %n Markierung gelernt, aktiv: zurückgehalten %2 → %3.</numerusform>
            <numerusform>Version %1 aus %n Markierungen gelernt, aktiv: zurückgehalten %2 → %3.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Version %1 learned from %n mark(s), not active: %2</source>
        <translation>
            <numerusform>Version %1 aus %n Markierung gelernt, nicht aktiv: %2</numerusform>
            <numerusform>Version %1 aus %n Markierungen gelernt, nicht aktiv: %2</numerusform>
        </translation>
    </message>
    <message>
        <source>In the background: %1</source>
        <translation>Im Hintergrund: %1</translation>
    </message>
    <message>
        <source>Activation cancelled: the active version stays as it was.</source>
        <translation>Aktivierung abgebrochen: Die aktive Version bleibt, wie sie war.</translation>
    </message>
    <message>
        <source>Activation failed: %1</source>
        <translation>Aktivierung fehlgeschlagen: %1</translation>
    </message>
    <message>
        <source>Version %1 is active: searches use it now.</source>
        <translation>Version %1 ist aktiv: Suchen verwenden sie jetzt.</translation>
    </message>
    <message>
        <source>No adapter is active: searches use the plain features.</source>
        <translation>Kein Adapter ist aktiv: Suchen verwenden die reinen Merkmale.</translation>
    </message>
    <message numerus="yes">
        <source>&lt;b&gt;%n mark(s)&lt;/b&gt;: %1 alike, %2 different · %3</source>
        <translation>
            <numerusform>&lt;b&gt;%n Markierung&lt;/b&gt;: %1 ähnlich, %2 verschieden · %3</numerusform>
            <numerusform>&lt;b&gt;%n Markierungen&lt;/b&gt;: %1 ähnlich, %2 verschieden · %3</numerusform>
        </translation>
    </message>
    <message>
        <source>active adapter: &lt;b&gt;version %1&lt;/b&gt;</source>
        <translation>aktiver Adapter: &lt;b&gt;Version %1&lt;/b&gt;</translation>
    </message>
    <message>
        <source>no adapter version active</source>
        <translation>keine Adapter-Version aktiv</translation>
    </message>
    <message>
        <source>Roll Back to Version %1</source>
        <translation>Zurück zu Version %1</translation>
    </message>
    <message>
        <source>Activate Version %1</source>
        <translation>Version %1 aktivieren</translation>
    </message>
    <message numerus="yes">
        <source>Removed %n mark(s).</source>
        <translation>
            <numerusform>%n Markierung entfernt.</numerusform>
            <numerusform>%n Markierungen entfernt.</numerusform>
        </translation>
    </message>
    <message>
        <source>Compare needs a query: ask for images like a file first (select it and press Enter), then Compare.</source>
        <translation>Vergleichen braucht eine Suche: Suchen Sie zuerst Bilder wie eine Datei (auswählen und Eingabetaste drücken), dann Vergleichen.</translation>
    </message>
</context>
<context>
    <name>rv::ui::LibraryService</name>
    <message>
        <source>No library is open.</source>
        <translation>Keine Bibliothek geöffnet.</translation>
    </message>
    <message>
        <source>cannot write %1</source>
        <translation>%1 kann nicht geschrieben werden</translation>
    </message>
    <message>
        <source>cannot write %1 (is the disk full?)</source>
        <translation>%1 kann nicht geschrieben werden (ist der Datenträger voll?)</translation>
    </message>
    <message>
        <source>cannot replace %1</source>
        <translation>%1 kann nicht ersetzt werden</translation>
    </message>
    <message>
        <source>cannot read %1</source>
        <translation>%1 kann nicht gelesen werden</translation>
    </message>
    <message>
        <source>%1: %2</source>
        <translation>%1: %2</translation>
    </message>
    <message>
        <source>line %1: %2</source>
        <translation>Zeile %1: %2</translation>
    </message>
    <message>
        <source>it is among the unjudged pairs nearest the duplicate threshold</source>
        <translation>es gehört zu den unbeurteilten Paaren, die der Duplikat-Schwelle am nächsten sind</translation>
    </message>
    <message>
        <source>the adapter and the plain features disagree on it</source>
        <translation>der Adapter und die reinen Merkmale sind sich uneinig</translation>
    </message>
    <message>
        <source>cancelled</source>
        <translation>abgebrochen</translation>
    </message>
</context>
<context>
    <name>rv::ui::MainWindow</name>
    <message>
        <source>Images (*.jpg *.jpeg *.jpe *.png *.webp *.tif *.tiff *.bmp *.heic *.heif *.hif *.avif *.cr2 *.cr3 *.crw *.nef *.nrw *.arw *.srf *.sr2 *.dng *.raf *.orf *.rw2 *.rwl *.pef *.srw *.3fr *.iiq *.erf *.kdc *.mrw)</source>
        <translation>Bilder (*.jpg *.jpeg *.jpe *.png *.webp *.tif *.tiff *.bmp *.heic *.heif *.hif *.avif *.cr2 *.cr3 *.crw *.nef *.nrw *.arw *.srf *.sr2 *.dng *.raf *.orf *.rw2 *.rwl *.pef *.srw *.3fr *.iiq *.erf *.kdc *.mrw)</translation>
    </message>
    <message>
        <source>RuVision</source>
        <translation>RuVision</translation>
    </message>
    <message>
        <source>Folder</source>
        <translation>Ordner</translation>
    </message>
    <message>
        <source>Similar</source>
        <translation>Ähnliche</translation>
    </message>
    <message>
        <source>Duplicates</source>
        <translation>Duplikate</translation>
    </message>
    <message>
        <source>Learning</source>
        <translation>Lernen</translation>
    </message>
    <message>
        <source>Pairs</source>
        <translation>Paare</translation>
    </message>
    <message>
        <source>Map</source>
        <translation>Karte</translation>
    </message>
    <message>
        <source>Folders</source>
        <translation>Ordner</translation>
    </message>
    <message>
        <source>Preview</source>
        <translation>Vorschau</translation>
    </message>
    <message>
        <source>Thumbnail size (Ctrl++ / Ctrl+-)</source>
        <translation>Größe der Vorschaubilder (Strg++ / Strg+-)</translation>
    </message>
    <message>
        <source>Remove Folder</source>
        <translation>Ordner entfernen</translation>
    </message>
    <message>
        <source>Remove %1 from the library?
The files stay on disk; RuVision forgets them.</source>
        <translation>%1 aus der Bibliothek entfernen?
Die Dateien bleiben auf der Festplatte; RuVision vergisst sie.</translation>
    </message>
    <message numerus="yes">
        <source>%n file(s) moved to the trash</source>
        <translation>
            <numerusform>%n Datei in den Papierkorb verschoben</numerusform>
            <numerusform>%n Dateien in den Papierkorb verschoben</numerusform>
        </translation>
    </message>
    <message>
        <source>Noted: %1 and %2 are not the same picture</source>
        <translation>Vermerkt: %1 und %2 sind nicht dasselbe Bild</translation>
    </message>
    <message>
        <source>The verdict on %1 was not stored: %2</source>
        <translation>Das Urteil zu %1 wurde nicht gespeichert: %2</translation>
    </message>
    <message numerus="yes">
        <source>%n file(s) restored from the trash</source>
        <translation>
            <numerusform>%n Datei aus dem Papierkorb wiederhergestellt</numerusform>
            <numerusform>%n Dateien aus dem Papierkorb wiederhergestellt</numerusform>
        </translation>
    </message>
    <message>
        <source>&amp;File</source>
        <translation>&amp;Datei</translation>
    </message>
    <message>
        <source>&amp;Add Folder…</source>
        <translation>Ordner &amp;hinzufügen …</translation>
    </message>
    <message>
        <source>Ctrl+Shift+O</source>
        <translation>Ctrl+Shift+O</translation>
    </message>
    <message>
        <source>Add a folder of photos to the library; it is indexed in the background</source>
        <translation>Einen Ordner mit Fotos zur Bibliothek hinzufügen; er wird im Hintergrund indiziert</translation>
    </message>
    <message>
        <source>Find Similar to &amp;File…</source>
        <translation>Ähnliche zu &amp;Datei suchen …</translation>
    </message>
    <message>
        <source>Choose any image file and see the library&apos;s images that look like it</source>
        <translation>Eine beliebige Bilddatei wählen und die ähnlich aussehenden Bilder der Bibliothek sehen</translation>
    </message>
    <message>
        <source>Open &amp;Library…</source>
        <translation>Bib&amp;liothek öffnen …</translation>
    </message>
    <message>
        <source>Ctrl+L</source>
        <translation>Ctrl+L</translation>
    </message>
    <message>
        <source>Open or create a library in another folder</source>
        <translation>Eine Bibliothek in einem anderen Ordner öffnen oder anlegen</translation>
    </message>
    <message>
        <source>&amp;Rescan Folders</source>
        <translation>Ordner neu &amp;einlesen</translation>
    </message>
    <message>
        <source>Look for new, changed, moved and deleted files</source>
        <translation>Nach neuen, geänderten, verschobenen und gelöschten Dateien suchen</translation>
    </message>
    <message>
        <source>&amp;Cancel Indexing</source>
        <translation>Indizierung &amp;abbrechen</translation>
    </message>
    <message>
        <source>&amp;Quit</source>
        <translation>&amp;Beenden</translation>
    </message>
    <message>
        <source>&amp;Edit</source>
        <translation>&amp;Bearbeiten</translation>
    </message>
    <message>
        <source>&amp;Paste Image</source>
        <translation>Bild &amp;einfügen</translation>
    </message>
    <message>
        <source>Find images like the one on the clipboard</source>
        <translation>Bilder wie das in der Zwischenablage suchen</translation>
    </message>
    <message>
        <source>&amp;Go</source>
        <translation>&amp;Gehe zu</translation>
    </message>
    <message>
        <source>&amp;Back</source>
        <translation>&amp;Zurück</translation>
    </message>
    <message>
        <source>The previous query</source>
        <translation>Die vorige Suche</translation>
    </message>
    <message>
        <source>&amp;Forward</source>
        <translation>&amp;Vorwärts</translation>
    </message>
    <message>
        <source>The next query</source>
        <translation>Die nächste Suche</translation>
    </message>
    <message>
        <source>&amp;Image</source>
        <translation>B&amp;ild</translation>
    </message>
    <message>
        <source>Find &amp;Similar</source>
        <translation>Ä&amp;hnliche suchen</translation>
    </message>
    <message>
        <source>Ctrl+F</source>
        <translation>Ctrl+F</translation>
    </message>
    <message>
        <source>Images that look like the selected one (also Enter)</source>
        <translation>Bilder, die dem ausgewählten ähnlich sehen (auch Eingabetaste)</translation>
    </message>
    <message>
        <source>&amp;View Full Window</source>
        <translation>Im ganzen &amp;Fenster anzeigen</translation>
    </message>
    <message>
        <source>The image filling the window, with the previous and next ones (also double-click; Esc goes back)</source>
        <translation>Das Bild fensterfüllend, mit dem vorigen und nächsten (auch Doppelklick; Esc kehrt zurück)</translation>
    </message>
    <message>
        <source>&amp;Open With System Viewer</source>
        <translation>Mit System&amp;betrachter öffnen</translation>
    </message>
    <message>
        <source>Ctrl+Return</source>
        <translation>Ctrl+Return</translation>
    </message>
    <message>
        <source>Open Containing &amp;Folder</source>
        <translation>Enthaltenden &amp;Ordner öffnen</translation>
    </message>
    <message>
        <source>Ctrl+Shift+F</source>
        <translation>Ctrl+Shift+F</translation>
    </message>
    <message>
        <source>&amp;Copy Path</source>
        <translation>Pfad &amp;kopieren</translation>
    </message>
    <message>
        <source>&amp;Rename…</source>
        <translation>&amp;Umbenennen …</translation>
    </message>
    <message>
        <source>Move to &amp;Trash…</source>
        <translation>In den &amp;Papierkorb verschieben …</translation>
    </message>
    <message>
        <source>&amp;View</source>
        <translation>&amp;Ansicht</translation>
    </message>
    <message>
        <source>&amp;Larger Thumbnails</source>
        <translation>&amp;Größere Vorschaubilder</translation>
    </message>
    <message>
        <source>&amp;Smaller Thumbnails</source>
        <translation>&amp;Kleinere Vorschaubilder</translation>
    </message>
    <message>
        <source>File &amp;Information</source>
        <translation>Datei&amp;informationen</translation>
    </message>
    <message>
        <source>Size, date, camera, lens and exposure of the image, in the preview and the full view (I)</source>
        <translation>Größe, Datum, Kamera, Objektiv und Belichtung des Bildes, in der Vorschau und der Vollansicht (I)</translation>
    </message>
    <message>
        <source>&amp;Tools</source>
        <translation>E&amp;xtras</translation>
    </message>
    <message>
        <source>Find &amp;Duplicates</source>
        <translation>&amp;Duplikate suchen</translation>
    </message>
    <message>
        <source>Ctrl+D</source>
        <translation>Ctrl+D</translation>
    </message>
    <message>
        <source>Groups of near-duplicate images, to choose which to keep</source>
        <translation>Gruppen von Beinahe-Duplikaten, um auszuwählen, welche bleiben</translation>
    </message>
    <message>
        <source>&amp;Learning</source>
        <translation>&amp;Lernen</translation>
    </message>
    <message>
        <source>Ctrl+Shift+L</source>
        <translation>Ctrl+Shift+L</translation>
    </message>
    <message>
        <source>What RuVision learned from your marks: the marks, the adapter versions, Learn Now</source>
        <translation>Was RuVision aus Ihren Markierungen gelernt hat: die Markierungen, die Adapter-Versionen, Jetzt lernen</translation>
    </message>
    <message>
        <source>&amp;Map of the Library</source>
        <translation>&amp;Karte der Bibliothek</translation>
    </message>
    <message>
        <source>Ctrl+Shift+M</source>
        <translation>Ctrl+Shift+M</translation>
    </message>
    <message>
        <source>The library as a hierarchy in the Poincaré disk: general groups at the centre, specific ones toward the rim</source>
        <translation>Die Bibliothek als Hierarchie in der Poincaré-Kreisscheibe: allgemeine Gruppen in der Mitte, spezielle zum Rand hin</translation>
    </message>
    <message>
        <source>&amp;Help</source>
        <translation>&amp;Hilfe</translation>
    </message>
    <message>
        <source>&amp;About RuVision</source>
        <translation>Ü&amp;ber RuVision</translation>
    </message>
    <message>
        <source>Main</source>
        <translation>Hauptleiste</translation>
    </message>
    <message>
        <source>Size </source>
        <translation>Größe </translation>
    </message>
    <message>
        <source>The library cannot be opened: %1
Choose or create another one with File ▸ Open Library… (Ctrl+L).</source>
        <translation>Die Bibliothek kann nicht geöffnet werden: %1
Wählen oder legen Sie mit Datei ▸ Bibliothek öffnen … (Strg+L) eine andere an.</translation>
    </message>
    <message>
        <source>RuVision — %1</source>
        <translation>RuVision — %1</translation>
    </message>
    <message>
        <source>This library has no folders yet. Add a folder of photos with File ▸ Add Folder… (Ctrl+Shift+O); it is indexed in the background.</source>
        <translation>Diese Bibliothek hat noch keine Ordner. Fügen Sie mit Datei ▸ Ordner hinzufügen … (Strg+Umschalt+O) einen Ordner mit Fotos hinzu; er wird im Hintergrund indiziert.</translation>
    </message>
    <message>
        <source>This library has no folders</source>
        <translation>Diese Bibliothek hat keine Ordner</translation>
    </message>
    <message numerus="yes">
        <source>%n group(s) of near-duplicates</source>
        <translation>
            <numerusform>%n Gruppe mit Beinahe-Duplikaten</numerusform>
            <numerusform>%n Gruppen mit Beinahe-Duplikaten</numerusform>
        </translation>
    </message>
    <message>
        <source>Open or Create a Library</source>
        <translation>Bibliothek öffnen oder anlegen</translation>
    </message>
    <message>
        <source>Add a Folder of Photos</source>
        <translation>Ordner mit Fotos hinzufügen</translation>
    </message>
    <message>
        <source>Find Images Similar to…</source>
        <translation>Ähnliche Bilder suchen zu …</translation>
    </message>
    <message>
        <source>The clipboard holds no image.</source>
        <translation>Die Zwischenablage enthält kein Bild.</translation>
    </message>
    <message>
        <source>Pasted image</source>
        <translation>Eingefügtes Bild</translation>
    </message>
    <message>
        <source>Region of %1</source>
        <translation>Bereich von %1</translation>
    </message>
    <message>
        <source>Looking for near-duplicates…</source>
        <translation>Suche nach Beinahe-Duplikaten …</translation>
    </message>
    <message>
        <source>No images directly in this folder: open one of its subfolders in the tree.</source>
        <translation>Keine Bilder direkt in diesem Ordner: Öffnen Sie einen seiner Unterordner im Baum.</translation>
    </message>
    <message numerus="yes">
        <source>%n image(s) in this folder</source>
        <translation>
            <numerusform>%n Bild in diesem Ordner</numerusform>
            <numerusform>%n Bilder in diesem Ordner</numerusform>
        </translation>
    </message>
    <message>
        <source>Select an image first: click one in the Folder or Similar tab, or find images like any file with Ctrl+O.</source>
        <translation>Wählen Sie zuerst ein Bild: Klicken Sie eines im Reiter Ordner oder Ähnliche an, oder suchen Sie mit Strg+O Bilder wie eine beliebige Datei.</translation>
    </message>
    <message>
        <source>%1 moved to the trash · Undo: %2</source>
        <translation>%1 in den Papierkorb verschoben · Rückgängig: %2</translation>
    </message>
    <message>
        <source>%1 is back from the trash</source>
        <translation>%1 ist aus dem Papierkorb zurück</translation>
    </message>
    <message>
        <source>Renamed %1 to %2</source>
        <translation>%1 in %2 umbenannt</translation>
    </message>
    <message>
        <source>Dropped image</source>
        <translation>Abgelegtes Bild</translation>
    </message>
    <message>
        <source>About RuVision</source>
        <translation>Über RuVision</translation>
    </message>
    <message>
        <source>&lt;h3&gt;RuVision %1&lt;/h3&gt;&lt;p&gt;Visual image search on your own computer, with its own SIMD CNN engine.&lt;/p&gt;&lt;p&gt;Model: &lt;b&gt;%2&lt;/b&gt; (%3-d embeddings)&lt;br&gt;SIMD path: %4&lt;br&gt;Library: %5&lt;/p&gt;</source>
        <translation>&lt;h3&gt;RuVision %1&lt;/h3&gt;&lt;p&gt;Visuelle Bildsuche auf Ihrem eigenen Computer, mit eigener SIMD-CNN-Engine.&lt;/p&gt;&lt;p&gt;Modell: &lt;b&gt;%2&lt;/b&gt; (%3-dimensionale Einbettungen)&lt;br&gt;SIMD-Pfad: %4&lt;br&gt;Bibliothek: %5&lt;/p&gt;</translation>
    </message>
    <message>
        <source>none loaded</source>
        <translation>keines geladen</translation>
    </message>
    <message numerus="yes">
        <source>%Ln image(s) indexed · model %1</source>
        <translation>
            <numerusform>%Ln Bild indiziert · Modell %1</numerusform>
            <numerusform>%Ln Bilder indiziert · Modell %1</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>rv::ui::MapPanel</name>
    <message>
        <source>Cancel</source>
        <translation>Abbrechen</translation>
    </message>
    <message>
        <source>Stop building the map; the map stored before stays</source>
        <translation>Aufbau der Karte anhalten; die zuvor gespeicherte Karte bleibt</translation>
    </message>
    <message>
        <source>Up a Level</source>
        <translation>Eine Ebene höher</translation>
    </message>
    <message>
        <source>Centre on the parent group of the focus (Backspace)</source>
        <translation>Auf die übergeordnete Gruppe des Fokus zentrieren (Rücktaste)</translation>
    </message>
    <message>
        <source>General</source>
        <translation>Allgemein</translation>
    </message>
    <message>
        <source>Search at this level of the map for the current query (0: the most general groups)</source>
        <translation>Auf dieser Ebene der Karte nach der aktuellen Suche suchen (0: die allgemeinsten Gruppen)</translation>
    </message>
    <message>
        <source>Specific</source>
        <translation>Speziell</translation>
    </message>
    <message>
        <source>level %1</source>
        <translation>Ebene %1</translation>
    </message>
    <message>
        <source>No search at this level: %1</source>
        <translation>Keine Suche auf dieser Ebene: %1</translation>
    </message>
    <message numerus="yes">
        <source>%Ln image(s)</source>
        <translation>
            <numerusform>%Ln Bild</numerusform>
            <numerusform>%Ln Bilder</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Level %1: the %n group(s) nearest to %2</source>
        <translation>
            <numerusform>Ebene %1: die Gruppe, die %2 am nächsten ist</numerusform>
            <numerusform>Ebene %1: die %n Gruppen, die %2 am nächsten sind</numerusform>
        </translation>
    </message>
    <message>
        <source>Building the map… %1 %</source>
        <translation>Karte wird aufgebaut … %1 %</translation>
    </message>
    <message>
        <source>The map cannot be shown: %1</source>
        <translation>Die Karte kann nicht angezeigt werden: %1</translation>
    </message>
    <message>
        <source>The map could not be built: %1</source>
        <translation>Die Karte konnte nicht aufgebaut werden: %1</translation>
    </message>
    <message>
        <source>No map yet: it is built once the library is indexed.</source>
        <translation>Noch keine Karte: Sie wird aufgebaut, sobald die Bibliothek indiziert ist.</translation>
    </message>
    <message>
        <source>Loading the map…</source>
        <translation>Karte wird geladen …</translation>
    </message>
    <message>
        <source>%L1 images in %L2 groups, %3 levels</source>
        <translation>%L1 Bilder in %L2 Gruppen, %3 Ebenen</translation>
    </message>
    <message>
        <source> · distortion %1 mean, %2 max · MAP %3</source>
        <translation> · Verzerrung Ø %1, max. %2 · MAP %3</translation>
    </message>
    <message>
        <source> · out of date, updating…</source>
        <translation> · veraltet, wird aktualisiert …</translation>
    </message>
    <message>
        <source> · out of date</source>
        <translation> · veraltet</translation>
    </message>
    <message>
        <source> · the last update failed: %1</source>
        <translation> · die letzte Aktualisierung ist fehlgeschlagen: %1</translation>
    </message>
</context>
<context>
    <name>rv::ui::MarkCommand</name>
    <message>
        <source>Mark “%1” Alike</source>
        <translation>„%1“ als ähnlich markieren</translation>
    </message>
    <message>
        <source>Mark “%1” Different</source>
        <translation>„%1“ als verschieden markieren</translation>
    </message>
    <message>
        <source>Remove the Mark on “%1”</source>
        <translation>Markierung von „%1“ entfernen</translation>
    </message>
</context>
<context>
    <name>rv::ui::MarksModel</name>
    <message>
        <source>%1 · %2</source>
        <translation>%1 · %2</translation>
    </message>
    <message>
        <source>same picture</source>
        <translation>dasselbe Bild</translation>
    </message>
    <message>
        <source>alike</source>
        <translation>ähnlich</translation>
    </message>
    <message>
        <source>different</source>
        <translation>verschieden</translation>
    </message>
    <message>
        <source>search</source>
        <translation>Suche</translation>
    </message>
    <message>
        <source>duplicates</source>
        <translation>Duplikate</translation>
    </message>
    <message>
        <source>pairs</source>
        <translation>Paare</translation>
    </message>
    <message>
        <source>import</source>
        <translation>Import</translation>
    </message>
    <message>
        <source>Pair</source>
        <translation>Paar</translation>
    </message>
    <message>
        <source>Verdict</source>
        <translation>Urteil</translation>
    </message>
    <message>
        <source>Source</source>
        <translation>Herkunft</translation>
    </message>
    <message>
        <source>Time</source>
        <translation>Zeit</translation>
    </message>
</context>
<context>
    <name>rv::ui::PairPane</name>
    <message>
        <source>not a file</source>
        <translation>keine Datei</translation>
    </message>
    <message>
        <source>file not found</source>
        <translation>Datei nicht gefunden</translation>
    </message>
    <message>
        <source>Loading…</source>
        <translation>Wird geladen …</translation>
    </message>
    <message>
        <source>Cannot show %1: %2</source>
        <translation>%1 kann nicht angezeigt werden: %2</translation>
    </message>
    <message>
        <source>no image data</source>
        <translation>keine Bilddaten</translation>
    </message>
    <message>
        <source>%1 × %2 px</source>
        <translation>%1 × %2 px</translation>
    </message>
</context>
<context>
    <name>rv::ui::PairView</name>
    <message numerus="yes">
        <source>%n verdict(s)</source>
        <translation>
            <numerusform>%n Urteil</numerusform>
            <numerusform>%n Urteile</numerusform>
        </translation>
    </message>
    <message>
        <source>Are these the same picture?</source>
        <translation>Ist das dasselbe Bild?</translation>
    </message>
    <message>
        <source>Back (Backspace)</source>
        <translation>Zurück (Rücktaste)</translation>
    </message>
    <message>
        <source>Undo the last verdict or skip and show that pair again</source>
        <translation>Das letzte Urteil oder Überspringen zurücknehmen und dieses Paar erneut zeigen</translation>
    </message>
    <message>
        <source>Same picture (S)</source>
        <translation>Dasselbe Bild (S)</translation>
    </message>
    <message>
        <source>A copy of the same picture: another size, format or a light edit</source>
        <translation>Eine Kopie desselben Bildes: andere Größe, anderes Format oder leicht bearbeitet</translation>
    </message>
    <message>
        <source>Alike (A)</source>
        <translation>Ähnlich (A)</translation>
    </message>
    <message>
        <source>Alike, but not the same picture</source>
        <translation>Ähnlich, aber nicht dasselbe Bild</translation>
    </message>
    <message>
        <source>Different (D)</source>
        <translation>Verschieden (D)</translation>
    </message>
    <message>
        <source>Not alike</source>
        <translation>Nicht ähnlich</translation>
    </message>
    <message>
        <source>Skip (Space)</source>
        <translation>Überspringen (Leertaste)</translation>
    </message>
    <message>
        <source>No verdict; this pair is not asked again in this session</source>
        <translation>Kein Urteil; nach diesem Paar wird in dieser Sitzung nicht mehr gefragt</translation>
    </message>
    <message>
        <source>%1 this session</source>
        <translation>%1 in dieser Sitzung</translation>
    </message>
    <message>
        <source>Open a library to judge pairs of its pictures.</source>
        <translation>Öffnen Sie eine Bibliothek, um Paare ihrer Bilder zu beurteilen.</translation>
    </message>
    <message>
        <source>Looking for the pairs RuVision is least sure of…</source>
        <translation>Suche nach den Paaren, bei denen RuVision am unsichersten ist …</translation>
    </message>
    <message>
        <source>The engine could not choose pairs: %1</source>
        <translation>Die Engine konnte keine Paare auswählen: %1</translation>
    </message>
    <message>
        <source>No pairs to ask about: the library needs at least two indexed pictures.</source>
        <translation>Keine Paare zum Fragen: Die Bibliothek braucht mindestens zwei indizierte Bilder.</translation>
    </message>
    <message>
        <source>No more pairs to ask about for now. Thank you.</source>
        <translation>Vorerst keine weiteren Paare zum Fragen. Vielen Dank.</translation>
    </message>
    <message>
        <source>Score %1 (threshold %2) · asked because %3</source>
        <translation>Wert %1 (Schwelle %2) · gefragt, weil %3</translation>
    </message>
    <message>
        <source>Duplicate threshold %1 (calibrated from %2; default %3)</source>
        <translation>Duplikat-Schwelle %1 (kalibriert aus %2; Standard %3)</translation>
    </message>
    <message>
        <source>Duplicate threshold %1 (the default: a &quot;same&quot; and a &quot;not the same&quot; verdict calibrate it)</source>
        <translation>Duplikat-Schwelle %1 (der Standard: ein Urteil „dasselbe“ und eines „nicht dasselbe“ kalibrieren sie)</translation>
    </message>
    <message>
        <source>
While an adapter is active the duplicates view uses its own default</source>
        <translation>
Solange ein Adapter aktiv ist, verwendet die Duplikat-Ansicht ihren eigenen Standard</translation>
    </message>
</context>
<context>
    <name>rv::ui::PoincareView</name>
    <message>
        <source>%1
level %2 · %3</source>
        <translation>%1
Ebene %2 · %3</translation>
    </message>
    <message numerus="yes">
        <source>%Ln image(s)</source>
        <translation>
            <numerusform>%Ln Bild</numerusform>
            <numerusform>%Ln Bilder</numerusform>
        </translation>
    </message>
    <message>
        <source>The whole library: %1</source>
        <translation>Die ganze Bibliothek: %1</translation>
    </message>
    <message>
        <source>Near-duplicates: %1</source>
        <translation>Beinahe-Duplikate: %1</translation>
    </message>
    <message>
        <source>Group of %1</source>
        <translation>Gruppe von %1</translation>
    </message>
    <message>
        <source>%1 · level %2 (depth %3)</source>
        <translation>%1 · Ebene %2 (Tiefe %3)</translation>
    </message>
    <message>
        <source>Representative: %1</source>
        <translation>Repräsentant: %1</translation>
    </message>
    <message>
        <source>Also: %1</source>
        <translation>Außerdem: %1</translation>
    </message>
    <message>
        <source> and %L1 more</source>
        <translation> und %L1 weitere</translation>
    </message>
    <message>
        <source>No images in the library yet.
The map is drawn once its folders are indexed.</source>
        <translation>Noch keine Bilder in der Bibliothek.
Die Karte wird gezeichnet, sobald ihre Ordner indiziert sind.</translation>
    </message>
</context>
<context>
    <name>rv::ui::PreviewWidget</name>
    <message>
        <source>Search This Region</source>
        <translation>Diesen Bereich suchen</translation>
    </message>
    <message>
        <source>Clear Rectangle</source>
        <translation>Rechteck entfernen</translation>
    </message>
    <message>
        <source>file not found</source>
        <translation>Datei nicht gefunden</translation>
    </message>
    <message>
        <source>is a folder</source>
        <translation>ist ein Ordner</translation>
    </message>
    <message>
        <source>not enough memory</source>
        <translation>nicht genug Arbeitsspeicher</translation>
    </message>
    <message>
        <source>unexpected decoder failure</source>
        <translation>unerwarteter Fehler beim Dekodieren</translation>
    </message>
    <message>
        <source>no image data</source>
        <translation>keine Bilddaten</translation>
    </message>
    <message>
        <source>Cannot open %1: %2</source>
        <translation>%1 kann nicht geöffnet werden: %2</translation>
    </message>
    <message>
        <source>Loading…</source>
        <translation>Wird geladen …</translation>
    </message>
    <message>
        <source>Cannot open %1
%2</source>
        <translation>%1 kann nicht geöffnet werden
%2</translation>
    </message>
</context>
<context>
    <name>rv::ui::QueryCard</name>
    <message>
        <source>The query: click to preview it</source>
        <translation>Das Suchbild: für die Vorschau anklicken</translation>
    </message>
    <message>
        <source>QUERY</source>
        <translation>SUCHBILD</translation>
    </message>
    <message>
        <source>The query: %1
Click to preview it</source>
        <translation>Das Suchbild: %1
Für die Vorschau anklicken</translation>
    </message>
    <message>
        <source>%1 × %2 px</source>
        <translation>%1 × %2 px</translation>
    </message>
    <message>
        <source>reading its size…</source>
        <translation>Größe wird gelesen …</translation>
    </message>
    <message>
        <source>size unknown: %1</source>
        <translation>Größe unbekannt: %1</translation>
    </message>
    <message>
        <source>in %1</source>
        <translation>in %1</translation>
    </message>
    <message>
        <source>no preview</source>
        <translation>keine Vorschau</translation>
    </message>
</context>
<context>
    <name>rv::ui::RegionSelector</name>
    <message>
        <source>Search This Region</source>
        <translation>Diesen Bereich suchen</translation>
    </message>
    <message>
        <source>Find library images with a part like this rectangle (Esc clears it)</source>
        <translation>Bilder der Bibliothek mit einem Teil wie diesem Rechteck suchen (Esc entfernt es)</translation>
    </message>
</context>
<context>
    <name>rv::ui::ResultMarks</name>
    <message>
        <source>Alike</source>
        <translation>Ähnlich</translation>
    </message>
    <message>
        <source>The selected result is the kind of picture you are looking for (A; again: remove the mark)</source>
        <translation>Das ausgewählte Ergebnis ist die Art Bild, die Sie suchen (A; noch einmal: Markierung entfernen)</translation>
    </message>
    <message>
        <source>Different</source>
        <translation>Verschieden</translation>
    </message>
    <message>
        <source>The selected result is not what you are looking for (D; again: remove the mark)</source>
        <translation>Das ausgewählte Ergebnis ist nicht, was Sie suchen (D; noch einmal: Markierung entfernen)</translation>
    </message>
    <message>
        <source>Marks are given on the results of the Similar tab.</source>
        <translation>Markierungen werden auf den Ergebnissen im Reiter Ähnliche vergeben.</translation>
    </message>
    <message>
        <source>Undo Mark</source>
        <translation>Markierung rückgängig</translation>
    </message>
    <message>
        <source>Redo Mark</source>
        <translation>Markierung wiederherstellen</translation>
    </message>
    <message>
        <source>Ctrl+Shift+Z</source>
        <translation>Ctrl+Shift+Z</translation>
    </message>
    <message>
        <source>Ctrl+Y</source>
        <translation>Ctrl+Y</translation>
    </message>
    <message>
        <source>The results could not be re-ranked: %1</source>
        <translation>Die Ergebnisse konnten nicht neu geordnet werden: %1</translation>
    </message>
    <message>
        <source>Marks are given on the results of a query.</source>
        <translation>Markierungen werden auf den Ergebnissen einer Suche vergeben.</translation>
    </message>
    <message>
        <source>Select a result first: marks are given on the results of the query.</source>
        <translation>Wählen Sie zuerst ein Ergebnis: Markierungen werden auf den Ergebnissen der Suche vergeben.</translation>
    </message>
    <message>
        <source>%1 marked alike: re-ranking…</source>
        <translation>%1 als ähnlich markiert: wird neu geordnet …</translation>
    </message>
    <message>
        <source>%1 marked different: re-ranking…</source>
        <translation>%1 als verschieden markiert: wird neu geordnet …</translation>
    </message>
    <message>
        <source>Mark on %1 removed: re-ranking…</source>
        <translation>Markierung von %1 entfernt: wird neu geordnet …</translation>
    </message>
    <message numerus="yes">
        <source>Re-ranked with your marks: %n picture(s) moved</source>
        <translation>
            <numerusform>Mit Ihren Markierungen neu geordnet: %n Bild verschoben</numerusform>
            <numerusform>Mit Ihren Markierungen neu geordnet: %n Bilder verschoben</numerusform>
        </translation>
    </message>
    <message>
        <source>Looking up the marks of this query…</source>
        <translation>Markierungen dieser Suche werden nachgeschlagen …</translation>
    </message>
    <message>
        <source>Marks need a query that is a file of the library: this one is %1. Find images similar to a library file to mark its results.</source>
        <translation>Markierungen brauchen ein Suchbild, das eine Datei der Bibliothek ist: Dieses ist %1. Suchen Sie Bilder, die einer Bibliotheksdatei ähneln, um deren Ergebnisse zu markieren.</translation>
    </message>
    <message>
        <source>pixels, not a file</source>
        <translation>Pixel, keine Datei</translation>
    </message>
    <message>
        <source>No library is open.</source>
        <translation>Keine Bibliothek geöffnet.</translation>
    </message>
    <message>
        <source>The marks cannot be read: %1</source>
        <translation>Die Markierungen können nicht gelesen werden: %1</translation>
    </message>
    <message>
        <source>%1 is not a file of the library: only the results of a library file can be marked. Add its folder to the library to mark them.</source>
        <translation>%1 ist keine Datei der Bibliothek: Nur die Ergebnisse einer Bibliotheksdatei können markiert werden. Fügen Sie ihren Ordner zur Bibliothek hinzu, um sie zu markieren.</translation>
    </message>
    <message>
        <source>The mark on %1 was not stored: %2</source>
        <translation>Die Markierung von %1 wurde nicht gespeichert: %2</translation>
    </message>
    <message>
        <source>Undo Trash</source>
        <translation>Papierkorb rückgängig</translation>
    </message>
    <message>
        <source>Undo %1</source>
        <translation>Rückgängig: %1</translation>
    </message>
    <message>
        <source>Redo %1</source>
        <translation>Wiederherstellen: %1</translation>
    </message>
</context>
<context>
    <name>rv::ui::SearchPage</name>
    <message>
        <source>Choose an image and press Enter, drop one here, or paste one (Ctrl+V) to see what looks like it.</source>
        <translation>Wählen Sie ein Bild und drücken Sie die Eingabetaste, legen Sie eines hier ab oder fügen Sie eines ein (Strg+V), um zu sehen, was ihm ähnlich sieht.</translation>
    </message>
    <message>
        <source>Images like &lt;b&gt;%1&lt;/b&gt;</source>
        <translation>Bilder wie &lt;b&gt;%1&lt;/b&gt;</translation>
    </message>
    <message>
        <source>Searching…</source>
        <translation>Suche läuft …</translation>
    </message>
    <message numerus="yes">
        <source>%n picture(s), best first</source>
        <translation>
            <numerusform>%n Bild</numerusform>
            <numerusform>%n Bilder, die besten zuerst</numerusform>
        </translation>
    </message>
    <message>
        <source>Files that are the same picture (equal contents, or resized and re-encoded copies verified on pixels) are shown once, as the largest file.</source>
        <translation>Dateien mit demselben Bild (gleicher Inhalt oder an den Pixeln bestätigte verkleinerte und neu kodierte Kopien) werden einmal gezeigt, als größte Datei.</translation>
    </message>
    <message numerus="yes">
        <source>; %n more file(s) are copies of them (click a &quot;copies&quot; badge or press Space to show them)</source>
        <translation>
            <numerusform>; %n weitere Datei ist eine Kopie eines davon (zum Anzeigen auf das Etikett „Kopie“ klicken oder Leertaste drücken)</numerusform>
            <numerusform>; %n weitere Dateien sind Kopien davon (zum Anzeigen auf ein Etikett „Kopien“ klicken oder Leertaste drücken)</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>rv::ui::ThumbnailDelegate</name>
    <message numerus="yes">
        <source>Hide %n copy(ies)</source>
        <translation>
            <numerusform>Kopie ausblenden</numerusform>
            <numerusform>%n Kopien ausblenden</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>+%n copy(ies)</source>
        <translation>
            <numerusform>+%n Kopie</numerusform>
            <numerusform>+%n Kopien</numerusform>
        </translation>
    </message>
    <message>
        <source>copy of #%1</source>
        <translation>Kopie von #%1</translation>
    </message>
</context>
<context>
    <name>rv::ui::TuneStatus</name>
    <message>
        <source>Tune Now</source>
        <translation>Jetzt anpassen</translation>
    </message>
    <message>
        <source>Tune an adapter version to this library&apos;s own images: edited views of each image are taught alike; it becomes active only if held-out images are found better</source>
        <translation>Eine Adapter-Version an die eigenen Bilder dieser Bibliothek anpassen: Bearbeitete Ansichten jedes Bildes werden als ähnlich gelehrt; sie wird nur aktiv, wenn zurückgehaltene Bilder besser gefunden werden</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>Abbrechen</translation>
    </message>
    <message>
        <source>Tune after indexing</source>
        <translation>Nach der Indizierung anpassen</translation>
    </message>
    <message>
        <source>After indexing adds images (50 or more in the library, most of them not tuned on yet), tune in the background</source>
        <translation>Wenn die Indizierung Bilder hinzufügt (50 oder mehr in der Bibliothek, die meisten noch nicht angepasst), im Hintergrund anpassen</translation>
    </message>
    <message>
        <source>Tuning to the library in the background…</source>
        <translation>Anpassung an die Bibliothek im Hintergrund …</translation>
    </message>
    <message>
        <source>Tuning to the library…</source>
        <translation>Anpassung an die Bibliothek …</translation>
    </message>
    <message>
        <source>waiting for indexing or learning to finish</source>
        <translation>warten, bis Indizierung oder Lernen fertig ist</translation>
    </message>
    <message>
        <source>decoding and embedding edited views of the images</source>
        <translation>bearbeitete Ansichten der Bilder dekodieren und einbetten</translation>
    </message>
    <message>
        <source>training</source>
        <translation>Training</translation>
    </message>
    <message>
        <source>building the version&apos;s index</source>
        <translation>Index der Version aufbauen</translation>
    </message>
    <message>
        <source>Tuning to the library: %1</source>
        <translation>Anpassung an die Bibliothek: %1</translation>
    </message>
    <message>
        <source>Tuning gave way to indexing or was cancelled: nothing was stored.</source>
        <translation>Die Anpassung hat der Indizierung Vorrang gelassen oder wurde abgebrochen: Nichts wurde gespeichert.</translation>
    </message>
    <message>
        <source>Tuning cancelled: nothing was stored.</source>
        <translation>Anpassung abgebrochen: Nichts wurde gespeichert.</translation>
    </message>
    <message>
        <source>Tuning failed: %1</source>
        <translation>Anpassung fehlgeschlagen: %1</translation>
    </message>
    <message>
        <source>Version %1 tuned on %2 (%3 views)</source>
        <translation>Version %1 angepasst an %2 (%3 Ansichten)</translation>
    </message>
    <message numerus="yes">
        <source>%n image(s)</source>
        <translation>
            <numerusform>%n Bild</numerusform>
            <numerusform>%n Bilder</numerusform>
        </translation>
    </message>
    <message>
        <source>%1, active: held-out %2 → %3.</source>
        <translation>%1, aktiv: zurückgehalten %2 → %3.</translation>
    </message>
    <message>
        <source>%1, not active: %2</source>
        <translation>%1, nicht aktiv: %2</translation>
    </message>
    <message>
        <source>In the background: %1</source>
        <translation>Im Hintergrund: %1</translation>
    </message>
</context>
<context>
    <name>rv::ui::VersionsChart</name>
    <message>
        <source>Held-out score per version</source>
        <translation>Prüfwert je Version</translation>
    </message>
    <message>
        <source>Each version&apos;s pair AUC on the marks the guard held out when it was made (1 = every alike pair scores above every different one; 0.5 = chance)</source>
        <translation>Paar-AUC jeder Version auf den Markierungen, die bei ihrer Erstellung zurückgehalten wurden (1 = jedes ähnliche Paar liegt über jedem verschiedenen; 0,5 = Zufall)</translation>
    </message>
    <message>
        <source>held-out score</source>
        <translation>Prüfwert</translation>
    </message>
    <message>
        <source>version</source>
        <translation>Version</translation>
    </message>
    <message>
        <source>active</source>
        <translation>aktiv</translation>
    </message>
    <message>
        <source>active: version @xPoint</source>
        <translation>aktiv: Version @xPoint</translation>
    </message>
</context>
<context>
    <name>rv::ui::VersionsModel</name>
    <message>
        <source>Version %1, made %2
%3</source>
        <translation>Version %1, erstellt %2
%3</translation>
    </message>
    <message>
        <source>active</source>
        <translation>aktiv</translation>
    </message>
    <message>
        <source>import</source>
        <translation>Import</translation>
    </message>
    <message>
        <source>tune</source>
        <translation>Anpassung</translation>
    </message>
    <message>
        <source>learn</source>
        <translation>Lernen</translation>
    </message>
    <message>
        <source>Held-out score (pair AUC) of the version active when this one was made</source>
        <translation>Prüfwert (Paar-AUC) der Version, die bei Erstellung dieser aktiv war</translation>
    </message>
    <message>
        <source>Held-out score (pair AUC) of this version, on the same held-out marks</source>
        <translation>Prüfwert (Paar-AUC) dieser Version, auf denselben zurückgehaltenen Markierungen</translation>
    </message>
    <message>
        <source>Version</source>
        <translation>Version</translation>
    </message>
    <message>
        <source>Active</source>
        <translation>Aktiv</translation>
    </message>
    <message>
        <source>Made by</source>
        <translation>Erstellt durch</translation>
    </message>
    <message>
        <source>Marks</source>
        <translation>Markierungen</translation>
    </message>
    <message>
        <source>Before</source>
        <translation>Vorher</translation>
    </message>
    <message>
        <source>After</source>
        <translation>Nachher</translation>
    </message>
    <message>
        <source>Reason</source>
        <translation>Grund</translation>
    </message>
</context>
<context>
    <name>rv::ui::marks</name>
    <message>
        <source>alike</source>
        <translation>ähnlich</translation>
    </message>
    <message>
        <source>different</source>
        <translation>verschieden</translation>
    </message>
    <message>
        <source>new</source>
        <translation>neu</translation>
    </message>
    <message>
        <source>Marked alike to the query: click again (or press A) to remove the mark</source>
        <translation>Als ähnlich zum Suchbild markiert: erneut klicken (oder A drücken), um die Markierung zu entfernen</translation>
    </message>
    <message>
        <source>Marked different from the query: click again (or press D) to remove the mark</source>
        <translation>Als verschieden vom Suchbild markiert: erneut klicken (oder D drücken), um die Markierung zu entfernen</translation>
    </message>
    <message>
        <source>Alike (A): this is the kind of picture you are looking for; the results re-rank at once</source>
        <translation>Ähnlich (A): Das ist die Art Bild, die Sie suchen; die Ergebnisse werden sofort neu geordnet</translation>
    </message>
    <message>
        <source>Different (D): this is not what you are looking for; the results re-rank at once</source>
        <translation>Verschieden (D): Das ist nicht, was Sie suchen; die Ergebnisse werden sofort neu geordnet</translation>
    </message>
</context>
</TS>

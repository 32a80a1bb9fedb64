; Inno Setup 6 (6.3 or newer) script for Geschäftsstelle: per-user install without admin rights, German wizard.
; Build the program first (pyinstaller packaging\geschaeftsstelle.spec → dist\geschaeftsstelle\), then:
;   iscc /DAppVersion=0.1.0 packaging\geschaeftsstelle.iss
; The installer lands in dist\installer\. User data (database, backups, log) lives in
; %LOCALAPPDATA%\geschaeftsstelle, outside {app}: neither an update nor the uninstaller touches it.

#ifndef AppVersion
  #error "Bitte /DAppVersion=… angeben (python packaging\version_info.py --print-version)."
#endif
#ifndef DistDir
  #define DistDir "..\dist\geschaeftsstelle"
#endif
#define AppName "Geschäftsstelle"
#define AppExeName "geschaeftsstelle.exe"

[Setup]
; The AppId identifies the program for updates and the uninstaller: never change it.
AppId={{F8252F68-D80D-4B26-A8DE-EE92D8BD5D40}
AppName={#AppName}
AppVersion={#AppVersion}
AppVerName={#AppName} {#AppVersion}
AppPublisher={#AppName}
; VersionInfoVersion needs plain numbers (1.2.3); a version like 1.2.3rc1 must be given as /DAppVersion=1.2.3.
VersionInfoVersion={#AppVersion}
VersionInfoProductName={#AppName}
; Per user, no UAC prompt: {autopf} becomes {userpf} = %LOCALAPPDATA%\Programs in non-administrative mode.
PrivilegesRequired=lowest
DefaultDirName={autopf}\{#AppName}
DisableProgramGroupPage=yes
; An update installs over the previous version in the folder chosen then.
UsePreviousAppDir=yes
UsePreviousTasks=yes
; A running program is closed before its files are replaced, and started again afterwards.
CloseApplications=yes
RestartApplications=yes
; The frozen program is 64-bit (windows-latest, 64-bit Python).
ArchitecturesAllowed=x64compatible
ArchitecturesInstallIn64BitMode=x64compatible
MinVersion=10.0
SetupIconFile=..\resources\icons\app.ico
UninstallDisplayIcon={app}\{#AppExeName}
UninstallDisplayName={#AppName}
WizardStyle=modern
Compression=lzma2/max
SolidCompression=yes
OutputDir=..\dist\installer
OutputBaseFilename=Geschaeftsstelle-{#AppVersion}-Setup

[Languages]
Name: "german"; MessagesFile: "compiler:Languages\German.isl"

[Tasks]
Name: "desktopicon"; Description: "{cm:CreateDesktopIcon}"; GroupDescription: "{cm:AdditionalIcons}"; Flags: unchecked

[InstallDelete]
; Files of an older version that the new one no longer ships would otherwise linger in _internal.
Type: filesandordirs; Name: "{app}\_internal"

[Files]
Source: "{#DistDir}\*"; DestDir: "{app}"; Flags: ignoreversion recursesubdirs createallsubdirs

[Icons]
Name: "{autoprograms}\{#AppName}"; Filename: "{app}\{#AppExeName}"; WorkingDir: "{app}"; Comment: "Mitglieder, Termine, Einladungen und Ehrenamtspreis"
Name: "{autodesktop}\{#AppName}"; Filename: "{app}\{#AppExeName}"; WorkingDir: "{app}"; Tasks: desktopicon

[Run]
Filename: "{app}\{#AppExeName}"; Description: "{cm:LaunchProgram,{#StringChange(AppName, '&', '&&')}}"; Flags: nowait postinstall skipifsilent

[UninstallDelete]
; Only the program folder: the database and backups in %LOCALAPPDATA%\geschaeftsstelle stay.
Type: filesandordirs; Name: "{app}\_internal"
Type: dirifempty; Name: "{app}"

[Messages]
german.FinishedLabel=[name] ist installiert und steht im Startmenü. Ihre Daten und Sicherungen liegen im Ordner AppData\Local\geschaeftsstelle Ihres Benutzerkontos und bleiben bei Updates und beim Deinstallieren erhalten.

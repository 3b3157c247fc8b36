// Galley prints with the system's Chromium (Debian `chromium`); never download a browser.
module.exports = { skipDownload: true };

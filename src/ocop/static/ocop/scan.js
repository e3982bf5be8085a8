// Scanning the label's QR with the phone's camera on /kiem-tra/: the browser's BarcodeDetector where it reads QR
// codes, else jsQR (npm, served as /static/vendor/jsqr/jsQR.js and loaded only when needed). The decoded text goes
// into the form, whose signature check (verify.js) runs at once. window.ocopScan.decode(source) decodes an image,
// a canvas or a video frame.
(function () {
  "use strict";
  const form = document.getElementById("offline-check");
  const start = document.getElementById("scan-start");
  if (!form || !start) return;
  const msgs = JSON.parse(document.getElementById("ocop-messages").textContent);
  const box = document.getElementById("scanner");
  const video = document.getElementById("scan-video");
  const note = document.getElementById("scan-note");
  const MAX_SIDE = 800;  // camera frames are scaled down to this before jsQR reads them
  let stream = null;
  let timer = null;
  let detector;  // undefined: not asked yet; null: none

  function loadJsQR() {
    return new Promise(function (resolve, reject) {
      if (window.jsQR) { resolve(window.jsQR); return; }
      const script = document.createElement("script");
      script.src = form.dataset.jsqr;
      script.onload = function () { resolve(window.jsQR); };
      script.onerror = reject;
      document.head.appendChild(script);
    });
  }

  async function nativeDetector() {
    if (detector !== undefined) return detector;
    detector = null;
    if ("BarcodeDetector" in window) {
      try {
        const formats = await window.BarcodeDetector.getSupportedFormats();
        if (formats.indexOf("qr_code") >= 0) detector = new window.BarcodeDetector({ formats: ["qr_code"] });
      } catch (e) { detector = null; }
    }
    return detector;
  }

  // jsQR reads the pixels of an image, canvas or video frame: the QR's text, or null.
  async function decodeWithJsQR(source) {
    const jsQR = await loadJsQR();
    const width = source.videoWidth || source.naturalWidth || source.width;
    const height = source.videoHeight || source.naturalHeight || source.height;
    if (!width || !height) return null;
    const scale = Math.min(1, MAX_SIDE / Math.max(width, height));
    const canvas = document.createElement("canvas");
    canvas.width = Math.round(width * scale);
    canvas.height = Math.round(height * scale);
    const context = canvas.getContext("2d", { willReadFrequently: true });
    context.drawImage(source, 0, 0, canvas.width, canvas.height);
    const pixels = context.getImageData(0, 0, canvas.width, canvas.height);
    const found = jsQR(pixels.data, canvas.width, canvas.height, { inversionAttempts: "attemptBoth" });
    return found ? found.data : null;
  }

  async function decode(source) {
    const native = await nativeDetector();
    if (native) {
      const codes = await native.detect(source);
      return codes.length ? codes[0].rawValue : null;
    }
    return decodeWithJsQR(source);
  }

  function stop() {
    clearTimeout(timer);
    if (stream) stream.getTracks().forEach(function (track) { track.stop(); });
    stream = null;
    video.srcObject = null;
    box.hidden = true;
    start.hidden = false;
  }

  function found(text) {
    stop();
    note.textContent = "";
    form.elements.payload.value = text;
    form.requestSubmit();
  }

  function look() {
    if (!stream) return;
    const next = function () { timer = setTimeout(look, 200); };
    if (video.readyState < 2) { next(); return; }
    decode(video).then(function (text) { if (text) { found(text); } else { next(); } }, next);
  }

  async function open() {
    note.textContent = "";
    try {
      stream = await navigator.mediaDevices.getUserMedia({ video: { facingMode: "environment" }, audio: false });
    } catch (e) {
      note.textContent = msgs.camera_refused;
      return;
    }
    video.srcObject = stream;
    box.hidden = false;
    start.hidden = true;
    note.textContent = msgs.scanning;
    try { await video.play(); } catch (e) { /* autoplay of a muted inline video is allowed; look() waits anyway */ }
    look();
  }

  window.ocopScan = { decode: decode, decodeWithJsQR: decodeWithJsQR, found: found };
  if (navigator.mediaDevices && navigator.mediaDevices.getUserMedia) {
    start.hidden = false;
    start.addEventListener("click", open);
    document.getElementById("scan-stop").addEventListener("click", stop);
  } else {
    note.textContent = msgs.no_camera;
  }
})();

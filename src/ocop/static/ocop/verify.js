// Checks an OCOP Hub certificate QR in the browser, with no network: the provinces' public keys are in the page and
// the signature is checked with the browser's own Ed25519 (WebCrypto). The same rules as `ocop verify-qr`.
(function () {
  "use strict";
  const form = document.getElementById("offline-check");
  if (!form) return;
  const keys = JSON.parse(document.getElementById("ocop-keys").textContent);
  const msgs = JSON.parse(document.getElementById("ocop-messages").textContent);
  const out = document.getElementById("offline-result");
  const site = JSON.parse(document.getElementById("ocop-site").textContent);
  const CODE = /^[23456789A-HJKMNP-Z]{6,16}$/;  // certificates.rules.CODE_ALPHABET

  function origin(address) {
    try {
      return new URL(address).origin;
    } catch (e) {
      return null;
    }
  }

  function official(address) {
    return origin(address) !== null && origin(address) === origin(site.base);
  }

  function bytes(text) {
    let s = text.replace(/-/g, "+").replace(/_/g, "/");
    while (s.length % 4) s += "=";
    const bin = atob(s);
    return Uint8Array.from(bin, function (c) { return c.charCodeAt(0); });
  }

  async function check(text) {
    const cut = text.trim().indexOf("#");
    const address = cut < 0 ? text.trim() : text.trim().slice(0, cut);
    const parts = cut < 0 ? [] : text.trim().slice(cut + 1).split(".");
    const code = address.replace(/\/+$/, "").split("/v/").pop().toUpperCase();
    if (cut < 0 && address.indexOf("/v/") >= 0 && CODE.test(code) && official(address)) {
      // A certificate imported from paper records has no signature: only the site can tell its status.
      return { ok: false, verdict: "warn", mark: "ℹ ", reason: msgs.unsigned };
    }
    if (address.indexOf("/v/") < 0 || parts.length !== 3) return { ok: false, reason: msgs.not_ours };
    let claimText, signature;
    try {
      claimText = new TextDecoder("utf-8", { fatal: true }).decode(bytes(parts[1]));
      signature = bytes(parts[2]);
    } catch (e) {
      return { ok: false, reason: msgs.damaged };
    }
    const f = claimText.split("|");
    if (f.length !== 7 || f[0] !== "OCOP1") return { ok: false, reason: msgs.damaged };
    const claim = { number: f[1], code: f[2], product: f[3], stars: f[4], from: f[5], until: f[6] };
    const pub = keys[parts[0]];
    if (!pub) return { ok: false, reason: msgs.unknown_key.replace("%(key)s", parts[0].slice(0, 16)), claim: claim };
    let good = false;
    try {
      const key = await crypto.subtle.importKey("raw", bytes(pub), { name: "Ed25519" }, false, ["verify"]);
      good = await crypto.subtle.verify({ name: "Ed25519" }, key, signature, new TextEncoder().encode(claimText));
    } catch (e) {
      good = false;
    }
    if (!good) return { ok: false, reason: msgs.forged, claim: claim };
    if (code !== claim.code) return { ok: false, reason: msgs.mismatch, claim: claim };
    if (!official(address)) {
      // A genuine signature copied under another web address: the link leads elsewhere (a look-alike site).
      return { ok: false, verdict: "warn", mark: "⚠ ", reason: msgs.foreign.replace("%(base)s", site.base), claim: claim };
    }
    return { ok: true, reason: msgs.ok, claim: claim };
  }

  function day(iso) {
    const p = iso.split("-");
    return p[2] + "/" + p[1] + "/" + p[0];
  }

  function show(result) {
    out.hidden = false;
    const verdict = result.verdict || (result.ok ? "valid" : "missing");
    out.className = "verdict s-" + verdict;
    out.dataset.ok = result.ok ? "true" : "false";
    out.dataset.verdict = verdict;
    out.textContent = (result.mark || (result.ok ? "✔ " : "✘ ")) + result.reason;
    if (result.claim) {
      const c = result.claim;
      const small = document.createElement("small");
      const today = new Date().toISOString().slice(0, 10);
      small.textContent = c.number + " · " + c.product + " · " + c.stars + "★ · " + day(c.from) + " – " + day(c.until) +
        (result.ok ? " · " + (today > c.until ? msgs.ended : msgs.in_dates) : "");
      out.appendChild(small);
    }
  }

  form.addEventListener("submit", function (event) {
    event.preventDefault();
    check(form.elements.payload.value).then(show);
  });

  // Once visited, the page works with no network: a service worker keeps it, its files and the keys on the device.
  const ready = document.getElementById("offline-ready");
  if ("serviceWorker" in navigator && form.dataset.worker) {
    navigator.serviceWorker.register(form.dataset.worker, { scope: form.dataset.scope }).then(function () {
      return navigator.serviceWorker.ready;
    }).then(function () {
      ready.textContent = msgs.offline_ready;
      ready.hidden = false;
      ready.dataset.ready = "true";
    }, function () { /* no service worker (a private window, an old browser): the page still works online */ });
  }
})();

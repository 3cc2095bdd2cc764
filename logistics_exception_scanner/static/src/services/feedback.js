/** @odoo-module */

import { browser } from "@web/core/browser/browser";

/**
 * What a dock worker hears and feels: a short high beep for a good scan, a
 * low double buzz and a vibration for a refused one. Made with WebAudio
 * oscillators, no sound file to load.
 */
let audioContext = null;

function getAudioContext() {
    const AudioContext = browser.AudioContext || browser.webkitAudioContext;
    if (!AudioContext) {
        return null;
    }
    if (!audioContext) {
        audioContext = new AudioContext();
    }
    if (audioContext.state === "suspended") {
        audioContext.resume().catch(() => {});
    }
    return audioContext;
}

function tone(frequency, start, duration, type = "sine") {
    const context = getAudioContext();
    if (!context) {
        return;
    }
    const oscillator = context.createOscillator();
    const gain = context.createGain();
    oscillator.type = type;
    oscillator.frequency.value = frequency;
    gain.gain.value = 0.2;
    oscillator.connect(gain);
    gain.connect(context.destination);
    const at = context.currentTime + start;
    oscillator.start(at);
    oscillator.stop(at + duration);
}

export function playSuccess() {
    try {
        tone(1760, 0, 0.08);
    } catch {
        // No sound on this device: the screen still says it.
    }
}

export function playError() {
    try {
        tone(220, 0, 0.18, "square");
        tone(180, 0.22, 0.25, "square");
    } catch {
        // No sound on this device: the screen and the vibration still say it.
    }
    if (browser.navigator.vibrate) {
        browser.navigator.vibrate([200, 100, 200]);
    }
}

// A short chime synthesised with the Web Audio API (browser only): nothing is fetched, no
// audio file. Browsers let a page start audio only after a user gesture, so the context is
// made (or resumed) in the click that turns the sound on.

/** `null` when the browser has no Web Audio. */
export function createChime() {
  const AC = typeof window !== "undefined" && (window.AudioContext || window.webkitAudioContext);
  if (!AC) return null;
  let ctx = null;

  function note(freq, start, length, peak) {
    const osc = ctx.createOscillator();
    const gain = ctx.createGain();
    osc.type = "sine";
    osc.frequency.setValueAtTime(freq, start);
    // Soft attack and decay: no click at either end.
    gain.gain.setValueAtTime(0.0001, start);
    gain.gain.exponentialRampToValueAtTime(peak, start + 0.02);
    gain.gain.exponentialRampToValueAtTime(0.0001, start + length);
    osc.connect(gain).connect(ctx.destination);
    osc.start(start);
    osc.stop(start + length + 0.05);
  }

  return {
    /** Call from a click: make or wake the audio context. Resolves to its state. */
    async enable() {
      if (!ctx) ctx = new AC();
      if (ctx.state !== "running") await ctx.resume();
      return ctx.state;
    },
    /** Let the audio device sleep. */
    async disable() {
      if (ctx && ctx.state === "running") await ctx.suspend();
    },
    /** Two rising notes (~0.45 s); `quiet` for the confirmation when turned on. Returns
     * whether it was played (the context runs). */
    play(quiet = false) {
      if (!ctx) return false;
      if (ctx.state !== "running") {
        // Woken from sleep (a hidden tab); it plays from the next alert on.
        ctx.resume().catch(() => {});
        return false;
      }
      const t = ctx.currentTime + 0.02;
      const peak = quiet ? 0.08 : 0.25;
      note(880, t, 0.18, peak);
      note(1318.5, t + 0.2, 0.25, peak);
      return true;
    },
    get state() {
      return ctx ? ctx.state : "off";
    },
  };
}

// Undo and redo over immutable snapshots (the model never changes a definition in place,
// so a snapshot costs one reference). Typing into one field makes one step, not one per key:
// pushes with the same `coalesce` key within `coalesceMs` replace the newest step.

export class History {
  constructor(initial, { limit = 200, coalesceMs = 1000, now = () => Date.now() } = {}) {
    this.limit = limit;
    this.coalesceMs = coalesceMs;
    this.now = now;
    this.reset(initial);
  }

  reset(state) {
    this.past = [];
    this.future = [];
    this.present = state;
    this.lastKey = null;
    this.lastTime = 0;
  }

  get canUndo() { return this.past.length > 0; }

  get canRedo() { return this.future.length > 0; }

  /** Records a new state; returns it. */
  push(state, { coalesce = null } = {}) {
    const time = this.now();
    const merge = coalesce !== null && coalesce === this.lastKey && time - this.lastTime <= this.coalesceMs;
    if (!merge) {
      this.past.push(this.present);
      if (this.past.length > this.limit) this.past.shift();
    }
    this.present = state;
    this.future = [];
    this.lastKey = coalesce;
    this.lastTime = time;
    return state;
  }

  /** Replaces the present state without making a step (e.g. the selection moved). */
  replace(state) {
    this.present = state;
    return state;
  }

  /** Ends the current typing run: the next push makes a new step. */
  seal() {
    this.lastKey = null;
  }

  undo() {
    if (!this.canUndo) return null;
    this.future.push(this.present);
    this.present = this.past.pop();
    this.seal();
    return this.present;
  }

  redo() {
    if (!this.canRedo) return null;
    this.past.push(this.present);
    this.present = this.future.pop();
    this.seal();
    return this.present;
  }
}

// A splitter's handle: dragged with the pointer, or moved with the arrow keys once focused.
// The size it sets follows the pointer live (`onDrag`) and is kept once, when the button is
// let go (`onDone`), so a drag writes the remembered layout once, not at every pixel.
import { useRef, type KeyboardEvent, type PointerEvent } from "react";
import { tokens, type GriffelStyle } from "@fluentui/react-components";

/** How a handle looks and takes the pointer, beside where each places it. */
export const dragHandleStyle: GriffelStyle = {
  position: "absolute",
  touchAction: "none",
  outlineStyle: "none",
  ":hover": { backgroundColor: tokens.colorBrandStroke2 },
  ":focus-visible": { backgroundColor: tokens.colorStrokeFocus2 },
};

export interface DragHandleOptions {
  /** "x": a vertical edge (a column's), "y": a horizontal one (the details pane's top). */
  axis: "x" | "y";
  /** +1 when moving right / down grows the size, -1 when it shrinks it. */
  direction: 1 | -1;
  /** The size when the drag starts. */
  size(): number;
  clamp(size: number): number;
  /** Pixels per arrow key. */
  step: number;
  /** The size while dragging; null when the drag is abandoned. */
  onDrag(size: number | null): void;
  onDone(size: number): void;
}

export function useDragHandle(o: DragHandleOptions) {
  const start = useRef<{ at: number; size: number } | null>(null);
  const at = (e: PointerEvent) => (o.axis === "x" ? e.clientX : e.clientY);
  const sizeAt = (e: PointerEvent) => (start.current ? o.clamp(start.current.size + o.direction * (at(e) - start.current.at)) : o.size());
  const [less, more] = o.axis === "x" ? ["ArrowLeft", "ArrowRight"] : ["ArrowUp", "ArrowDown"];
  return {
    onPointerDown(e: PointerEvent<HTMLElement>) {
      e.preventDefault();
      e.stopPropagation();
      e.currentTarget.setPointerCapture?.(e.pointerId);
      start.current = { at: at(e), size: o.size() };
    },
    onPointerMove(e: PointerEvent) {
      if (start.current) o.onDrag(sizeAt(e));
    },
    onPointerUp(e: PointerEvent) {
      if (!start.current) return;
      const size = sizeAt(e);
      start.current = null;
      o.onDone(size);
    },
    onPointerCancel() {
      start.current = null;
      o.onDrag(null);
    },
    onKeyDown(e: KeyboardEvent) {
      const sign = e.key === more ? 1 : e.key === less ? -1 : 0;
      if (sign === 0) return;
      e.preventDefault();
      e.stopPropagation(); // inside a grid, the arrows would also move the row focus
      o.onDone(o.clamp(o.size() + sign * o.direction * o.step));
    },
  };
}

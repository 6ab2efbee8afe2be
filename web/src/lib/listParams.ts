// List screens keep their filters, search and page in the address, so a reload, a link or the back
// button shows the same list. These are the two pieces every such screen needs.
import { useDebouncedCallback } from '@mantine/hooks';
import { useState } from 'react';
import { type SetURLSearchParams, useSearchParams } from 'react-router';

export type ParamChanges = Record<string, string | null>;
export type UpdateParams = (changes: ParamChanges, replace?: boolean) => void;

function applyChanges(prev: URLSearchParams, changes: ParamChanges) {
  const next = new URLSearchParams(prev);
  for (const [k, v] of Object.entries(changes)) {
    if (v === null || v === '') next.delete(k);
    else next.set(k, v);
  }
  return next;
}

// The address's parameters and the one way a screen changes them: an empty value removes its
// parameter. `replace` (by default `replaceByDefault`) says whether the change replaces the
// current step of the browser's history instead of adding one.
export function useListParams(
  replaceByDefault = true,
): [URLSearchParams, UpdateParams, SetURLSearchParams] {
  const [params, setParams] = useSearchParams();
  const update: UpdateParams = (changes, replace = replaceByDefault) =>
    setParams((prev) => applyChanges(prev, changes), { replace });
  return [params, update, setParams];
}

// A search box whose text lives in the address: `committed` is the value there, `commit` writes a
// new one. The box follows every keystroke; the address only once typing pauses for `delay` ms
// (trimmed, and only when it differs). When the address changes otherwise (back, forward, a
// link, clearing the filters) the box follows it — keeping what is being typed, trailing spaces
// included, when it already says the same.
export function useSearchText(
  committed: string,
  commit: (value: string) => void,
  delay = 300,
): [string, (text: string) => void] {
  const [text, setText] = useState(committed);
  const [seen, setSeen] = useState(committed);
  if (committed !== seen) {
    setSeen(committed);
    if (committed !== text.trim()) setText(committed);
  }
  const commitLater = useDebouncedCallback((value: string) => {
    if (value !== committed) commit(value);
  }, delay);
  const change = (next: string) => {
    setText(next);
    commitLater(next.trim());
  };
  return [text, change];
}

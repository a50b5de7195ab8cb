import type { InputHTMLAttributes, Ref, SelectHTMLAttributes } from "react";

/** A labelled text input with its error below it, linked for screen readers. */
export function Field({
  label,
  error,
  id,
  ref,
  ...props
}: InputHTMLAttributes<HTMLInputElement> & { label: string; error?: string; id: string; ref?: Ref<HTMLInputElement> }) {
  const errorId = `${id}-error`;
  return (
    <div className="flex flex-col gap-1.5">
      <label htmlFor={id} className="text-sm font-medium text-slate-700">
        {label}
      </label>
      <input
        {...props}
        ref={ref}
        id={id}
        aria-invalid={error ? true : undefined}
        aria-describedby={error ? errorId : undefined}
        className={`block w-full rounded-lg border px-3 py-2.5 text-base shadow-sm focus:outline-2 focus:outline-offset-0 sm:text-sm ${error ? "border-red-500 focus:outline-red-500" : "border-slate-300 focus:outline-indigo-500"}`}
      />
      {error ? (
        <p id={errorId} className="text-sm text-red-600">
          {error}
        </p>
      ) : null}
    </div>
  );
}

/** A labelled select with its error below it, linked for screen readers; options are [value, label]. */
export function SelectField({
  label,
  error,
  id,
  ref,
  options,
  ...props
}: SelectHTMLAttributes<HTMLSelectElement> & {
  label: string;
  error?: string;
  id: string;
  ref?: Ref<HTMLSelectElement>;
  options: readonly (readonly [string, string])[];
}) {
  const errorId = `${id}-error`;
  return (
    <div className="flex min-w-0 flex-col gap-1.5">
      <label htmlFor={id} className="text-sm font-medium text-slate-700">
        {label}
      </label>
      <select
        {...props}
        ref={ref}
        id={id}
        aria-invalid={error ? true : undefined}
        aria-describedby={error ? errorId : undefined}
        className={`w-full min-w-0 rounded-lg border px-3 py-2.5 text-sm ${error ? "border-red-500" : "border-slate-300"}`}
      >
        {options.map(([value, text]) => (
          <option key={value} value={value}>
            {text}
          </option>
        ))}
      </select>
      {error ? (
        <p id={errorId} className="text-sm text-red-600">
          {error}
        </p>
      ) : null}
    </div>
  );
}

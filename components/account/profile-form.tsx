import { Button } from "@/components/ui/button";
import { Field } from "@/components/ui/field";
import type { ProfileView } from "@/lib/account/service";

const INPUT: Record<string, { type?: string; autoComplete?: string; placeholder?: string }> = {
  name: { autoComplete: "name" },
  given_name: { autoComplete: "given-name" },
  family_name: { autoComplete: "family-name" },
  middle_name: { autoComplete: "additional-name" },
  nickname: { autoComplete: "nickname" },
  preferred_username: { autoComplete: "username" },
  picture: { type: "url", placeholder: "https://example.com/me.png" },
  profile: { type: "url", placeholder: "https://example.com/me" },
  website: { type: "url", placeholder: "https://example.com" },
  birthdate: { placeholder: "1990-04-23" },
  zoneinfo: { placeholder: "Europe/Paris" },
  locale: { placeholder: "en or pt-BR" },
};

/** The profile: what is fixed, and a plain form for the claims the administrator lets users edit. */
export function ProfileForm({
  profile,
  csrf,
  save,
  values,
  errors,
}: {
  profile: ProfileView;
  csrf: string;
  save: (data: FormData) => Promise<void>;
  /** what was typed, when the form comes back with errors */
  values: Record<string, string>;
  errors: Record<string, string>;
}) {
  return (
    <>
      <dl className="mt-6 grid grid-cols-1 gap-x-6 gap-y-2 text-sm sm:grid-cols-[max-content_1fr]">
        <dt className="font-medium text-slate-500">Username</dt>
        <dd data-testid="account-username">{profile.username}</dd>
        <dt className="font-medium text-slate-500">Email</dt>
        <dd className="break-all">
          {profile.email ?? "none"}
          {profile.email ? <span className="ml-2 text-slate-500">{profile.emailVerified ? "(verified)" : "(not verified)"}</span> : null}
        </dd>
      </dl>
      <p className="mt-2 text-xs text-slate-500">Your username is managed by your administrator; change your email below.</p>
      {profile.fields.length === 0 ? (
        <p className="mt-6 text-sm text-slate-500">Your administrator does not let users edit their profile.</p>
      ) : (
        <form action={save} noValidate className="mt-6 flex flex-col gap-5" aria-label="Profile">
          <input type="hidden" name="csrf" value={csrf} />
          <div className="grid grid-cols-1 gap-5 sm:grid-cols-2">
            {profile.fields.map((f) => (
              <Field
                key={f.claim}
                id={`claim-${f.claim}`}
                name={f.claim}
                label={f.label}
                defaultValue={values[f.claim] ?? f.value}
                maxLength={2000}
                spellCheck={false}
                error={errors[f.claim]}
                {...INPUT[f.claim]}
              />
            ))}
          </div>
          <p className="text-xs text-slate-500">Leave a field empty to remove it. Apps see the change the next time they ask.</p>
          <div>
            <Button type="submit">Save profile</Button>
          </div>
        </form>
      )}
    </>
  );
}

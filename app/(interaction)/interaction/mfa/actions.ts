"use server";

import type { EnrolmentState } from "@/components/interaction/totp-enrolment";
import {
  confirmStepUpEnrolment,
  mfaTargetOf,
  passkeyStep,
  passkeyStepOptions,
  startStepUpEnrolment,
  submitSecondFactor,
} from "@/lib/next/second-factor";

export async function verifySecondFactor(data: FormData): Promise<void> {
  await submitSecondFactor(data);
}

export async function startEnrolment(data: FormData): Promise<void> {
  await startStepUpEnrolment(data);
}

export async function confirmEnrolment(previous: EnrolmentState, data: FormData): Promise<EnrolmentState> {
  return confirmStepUpEnrolment(previous, data);
}

const targetOf = (interaction: unknown, next: unknown) => mfaTargetOf({ interaction, next });

/** The passkey factor's options (the component binds interaction, next and csrf). */
export async function mfaPasskeyOptions(interaction: unknown, next: unknown, csrf: unknown, _autofill: unknown) {
  return passkeyStepOptions(targetOf(interaction, next), csrf);
}

/** Verifies the passkey factor; on success the browser goes on where the page would. */
export async function mfaPasskey(interaction: unknown, next: unknown, csrf: unknown, _autofill: unknown, response: unknown) {
  return passkeyStep(targetOf(interaction, next), csrf, response);
}

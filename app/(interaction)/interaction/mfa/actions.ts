"use server";

import type { EnrolmentState } from "@/components/interaction/totp-enrolment";
import { confirmStepUpEnrolment, startStepUpEnrolment, submitSecondFactor } from "@/lib/next/second-factor";

export async function verifySecondFactor(data: FormData): Promise<void> {
  await submitSecondFactor(data);
}

export async function startEnrolment(data: FormData): Promise<void> {
  await startStepUpEnrolment(data);
}

export async function confirmEnrolment(previous: EnrolmentState, data: FormData): Promise<EnrolmentState> {
  return confirmStepUpEnrolment(previous, data);
}

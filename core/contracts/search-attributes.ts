// Ferry's custom search attributes: how a person finds runs in the Temporal UI ("every churn run
// waiting for approval") and how the API lists a pipeline's runs. Pure, so workflows import it too.
import { defineSearchAttributeKey, SearchAttributeType } from '@temporalio/common';

export const FerryModel = defineSearchAttributeKey('FerryModel', SearchAttributeType.KEYWORD);
export const FerryStage = defineSearchAttributeKey('FerryStage', SearchAttributeType.KEYWORD);
export const FerryTrigger = defineSearchAttributeKey('FerryTrigger', SearchAttributeType.KEYWORD);
/** The pipeline a run belongs to; set at start (never upserted), read instead of parsing the id. */
export const FerryPipeline = defineSearchAttributeKey('FerryPipeline', SearchAttributeType.KEYWORD);

/** Every custom attribute the namespace must have before a Ferry workflow starts. */
export const ferrySearchAttributes = [FerryModel, FerryStage, FerryTrigger, FerryPipeline] as const;

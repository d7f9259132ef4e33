import { ref } from 'vue';
import { genFileId, type UploadInstance, type UploadRawFile } from 'element-plus';

/**
 * One file at a time in an el-upload (`:limit="1"`): choosing another replaces the first, where the library would
 * otherwise refuse it without a word and keep the old file. Bind `ref="upload"` and `:on-exceed="replace"`.
 */
export function useSingleFile() {
  const upload = ref<UploadInstance>();
  function replace(files: File[]): void {
    upload.value?.clearFiles();
    const file = files[0] as UploadRawFile;
    file.uid = genFileId();
    upload.value?.handleStart(file);
  }
  return { upload, replace };
}

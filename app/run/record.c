/* record.c — the recorder: the format chosen by the file name, and the MP4 backend.
 * Frames are converted to YUV 4:2:0 (BT.709, limited range, as players expect) by
 * libswscale, encoded as H.264 by libavcodec (libx264 when present) at constant frame
 * rate, and muxed by libavformat into an MP4 written through a custom AVIOContext over
 * a gs_outfile (a temporary file beside the target, renamed when complete).  The GIF
 * backend is run/record_gif.c. */
#define _POSIX_C_SOURCE 200809L /* fseeko, ftello */
#include "run/record.h"

#include <ctype.h>
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>

#include <libavcodec/avcodec.h>
#include <libavformat/avformat.h>
#include <libavutil/imgutils.h>
#include <libavutil/opt.h>
#include <libswscale/swscale.h>

#include "gatescope.h"

/* FFmpeg 6.1 made the buffer of AVIOContext's write callback const */
#if LIBAVFORMAT_VERSION_MAJOR >= 61
#define IO_BUF const uint8_t
#else
#define IO_BUF uint8_t
#endif

typedef struct rec_mp4 {
    gs_outfile *out;        /* the file (temporary until commit) */
    AVFormatContext *fmt;   /* the MP4 muxer */
    AVIOContext *io;        /* ... writing into out */
    AVCodecContext *enc;    /* H.264 */
    AVStream *stream;
    AVFrame *frame;         /* YUV 4:2:0, reused */
    AVPacket *pkt;
    struct SwsContext *sws; /* BGR0 -> YUV 4:2:0 */
    int w, h;
    long n;                 /* frames sent: the next pts, in 1/fps */
    int header;             /* the header was written (the trailer must follow) */
} rec_mp4;

struct recorder {
    rec_format format;
    rec_mp4 *mp4;           /* one of the two backends */
    rec_gif *gif;
    long frames;            /* frames added */
    int failed;             /* a frame failed: only abort is left */
};

/* ---- Helpers ---------------------------------------------------------------------- */

static void av_say(char *err, size_t len, const char *what, int code) {
    char buf[128];
    av_strerror(code, buf, sizeof buf);
    snprintf(err, len, "%s: %s", what, buf);
}

int recorder_format_of(const char *path, rec_format *out) {
    size_t l = path ? strlen(path) : 0;
    char ext[5];
    if (l < 5 || path[l - 4] != '.') return 1;
    for (int i = 0; i < 4; i++) ext[i] = (char)tolower((unsigned char)path[l - 4 + i]);
    ext[4] = '\0';
    if (!strcmp(ext, ".mp4")) *out = REC_MP4;
    else if (!strcmp(ext, ".gif")) *out = REC_GIF;
    else return 1;
    return 0;
}

/* ---- MP4: the file under the muxer ------------------------------------------------- */

static int io_write(void *opaque, IO_BUF *buf, int size) {
    return gs_outfile_write(opaque, buf, (size_t)size) == GS_OK ? size : AVERROR(EIO);
}

/* The muxer seeks back to fill in sizes (the moov box is written last). */
static int64_t io_seek(void *opaque, int64_t offset, int whence) {
    FILE *f = gs_outfile_stream(opaque);
    off_t here, size;
    if (fflush(f) != 0) return AVERROR(EIO);
    if (whence == AVSEEK_SIZE) {
        if ((here = ftello(f)) < 0 || fseeko(f, 0, SEEK_END) != 0 || (size = ftello(f)) < 0 ||
            fseeko(f, here, SEEK_SET) != 0)
            return AVERROR(errno ? errno : EIO);
        return (int64_t)size;
    }
    whence &= ~AVSEEK_FORCE;
    if (fseeko(f, (off_t)offset, whence) != 0) return AVERROR(errno ? errno : EIO);
    return (int64_t)ftello(f);
}

/* ---- MP4: encoding ------------------------------------------------------------------ */

static void mp4_free(rec_mp4 *m) {
    if (!m) return;
    sws_freeContext(m->sws);
    av_frame_free(&m->frame);
    av_packet_free(&m->pkt);
    avcodec_free_context(&m->enc);
    if (m->fmt) avformat_free_context(m->fmt);
    if (m->io) av_freep(&m->io->buffer);
    avio_context_free(&m->io);
    free(m);
}

static void mp4_abort(rec_mp4 *m) {
    if (!m) return;
    gs_outfile_abort(m->out);
    mp4_free(m);
}

/* Write every packet the encoder has ready.  0 on success. */
static int mp4_drain(rec_mp4 *m, char *err, size_t len) {
    int rc;
    while ((rc = avcodec_receive_packet(m->enc, m->pkt)) == 0) {
        m->pkt->duration = 1; /* every frame lasts 1/fps (the last one too: the muxer
                                 would otherwise end the track on it) */
        av_packet_rescale_ts(m->pkt, m->enc->time_base, m->stream->time_base);
        m->pkt->stream_index = m->stream->index;
        if ((rc = av_interleaved_write_frame(m->fmt, m->pkt)) < 0) {
            av_say(err, len, "cannot write the video", rc);
            return 1;
        }
    }
    if (rc != AVERROR(EAGAIN) && rc != AVERROR_EOF) {
        av_say(err, len, "cannot encode the video", rc);
        return 1;
    }
    return 0;
}

static rec_mp4 *mp4_open(const char *path, int w, int h, int fps, int quick, char *err, size_t len) {
    rec_mp4 *m = calloc(1, sizeof *m);
    const AVCodec *codec;
    unsigned char *buf;
    gs_error e;
    int rc;
    av_log_set_level(AV_LOG_QUIET); /* libx264's statistics are not ours to print; failures
                                       come back as return codes and are said in err */
    if (!m) {
        snprintf(err, len, "out of memory");
        return NULL;
    }
    m->w = w;
    m->h = h;
    if (gs_outfile_open(&m->out, path, NULL, &e) != GS_OK) {
        snprintf(err, len, "%s", e.msg);
        free(m);
        return NULL;
    }
    if (!(codec = avcodec_find_encoder_by_name("libx264"))) codec = avcodec_find_encoder(AV_CODEC_ID_H264);
    if (!codec) {
        snprintf(err, len, "this FFmpeg has no H.264 encoder (Debian's libavcodec has libx264); "
                 "record a .gif instead");
        goto fail;
    }
    if ((rc = avformat_alloc_output_context2(&m->fmt, NULL, "mp4", NULL)) < 0) {
        av_say(err, len, "cannot make an MP4", rc);
        goto fail;
    }
    if (!(m->stream = avformat_new_stream(m->fmt, NULL)) || !(m->enc = avcodec_alloc_context3(codec)) ||
        !(m->frame = av_frame_alloc()) || !(m->pkt = av_packet_alloc())) {
        snprintf(err, len, "out of memory");
        goto fail;
    }
    m->enc->width = w;
    m->enc->height = h;
    m->enc->pix_fmt = AV_PIX_FMT_YUV420P;
    m->enc->time_base = (AVRational){ 1, fps };
    m->enc->framerate = (AVRational){ fps, 1 };
    m->enc->gop_size = 2 * fps; /* a key frame every two seconds: slides seek */
    m->enc->color_range = AVCOL_RANGE_MPEG;
    m->enc->colorspace = AVCOL_SPC_BT709;
    m->enc->color_primaries = AVCOL_PRI_BT709;
    m->enc->color_trc = AVCOL_TRC_BT709;
    if (m->fmt->oformat->flags & AVFMT_GLOBALHEADER) m->enc->flags |= AV_CODEC_FLAG_GLOBAL_HEADER;
    /* libx264's own options (other encoders ignore them): sharp text, quick enough;
       live, quicker still */
    av_opt_set(m->enc->priv_data, "preset", quick ? "superfast" : "veryfast", 0);
    av_opt_set(m->enc->priv_data, "crf", "18", 0);
    if ((rc = avcodec_open2(m->enc, codec, NULL)) < 0) {
        av_say(err, len, "cannot start the H.264 encoder", rc);
        goto fail;
    }
    if ((rc = avcodec_parameters_from_context(m->stream->codecpar, m->enc)) < 0) {
        av_say(err, len, "cannot set up the MP4 stream", rc);
        goto fail;
    }
    m->stream->time_base = m->enc->time_base;
    if (!(buf = av_malloc(1 << 16)) ||
        !(m->io = avio_alloc_context(buf, 1 << 16, 1, m->out, NULL, io_write, io_seek))) {
        av_free(buf);
        snprintf(err, len, "out of memory");
        goto fail;
    }
    m->fmt->pb = m->io;
    m->fmt->flags |= AVFMT_FLAG_CUSTOM_IO;
    if ((rc = avformat_write_header(m->fmt, NULL)) < 0) {
        av_say(err, len, "cannot write the MP4 header", rc);
        goto fail;
    }
    m->header = 1;
    m->frame->format = AV_PIX_FMT_YUV420P;
    m->frame->width = w;
    m->frame->height = h;
    m->frame->color_range = AVCOL_RANGE_MPEG;
    m->frame->colorspace = AVCOL_SPC_BT709;
    if ((rc = av_frame_get_buffer(m->frame, 0)) < 0) {
        av_say(err, len, "cannot allocate a frame", rc);
        goto fail;
    }
    m->sws = sws_getContext(w, h, AV_PIX_FMT_BGR0, w, h, AV_PIX_FMT_YUV420P,
                            quick ? SWS_BILINEAR : SWS_BICUBIC | SWS_ACCURATE_RND, NULL, NULL, NULL);
    if (!m->sws) {
        snprintf(err, len, "cannot set up the colour conversion");
        goto fail;
    }
    /* full-range RGB in, BT.709 limited-range YUV out */
    sws_setColorspaceDetails(m->sws, sws_getCoefficients(SWS_CS_DEFAULT), 1,
                             sws_getCoefficients(SWS_CS_ITU709), 0, 0, 1 << 16, 1 << 16);
    return m;
fail:
    mp4_abort(m);
    return NULL;
}

static int mp4_frame(rec_mp4 *m, const void *pixels, int pitch, char *err, size_t len) {
    const uint8_t *src[4] = { pixels, NULL, NULL, NULL };
    int stride[4] = { pitch, 0, 0, 0 }, rc;
    if ((rc = av_frame_make_writable(m->frame)) < 0) {
        av_say(err, len, "cannot encode the video", rc);
        return 1;
    }
    sws_scale(m->sws, src, stride, 0, m->h, m->frame->data, m->frame->linesize);
    m->frame->pts = m->n++;
    if ((rc = avcodec_send_frame(m->enc, m->frame)) < 0) {
        av_say(err, len, "cannot encode the video", rc);
        return 1;
    }
    return mp4_drain(m, err, len);
}

static int mp4_close(rec_mp4 *m, char *err, size_t len) {
    gs_error e;
    int rc;
    if ((rc = avcodec_send_frame(m->enc, NULL)) < 0) {
        av_say(err, len, "cannot finish the video", rc);
        goto fail;
    }
    if (mp4_drain(m, err, len) != 0) goto fail;
    m->header = 0;
    if ((rc = av_write_trailer(m->fmt)) < 0) {
        av_say(err, len, "cannot finish the MP4", rc);
        goto fail;
    }
    avio_flush(m->io);
    rc = gs_outfile_commit(m->out, &e);
    m->out = NULL;
    mp4_free(m);
    if (rc != GS_OK) {
        snprintf(err, len, "%s", e.msg);
        return 1;
    }
    return 0;
fail:
    mp4_abort(m);
    return 1;
}

/* ---- The recorder ------------------------------------------------------------------- */

recorder *recorder_open(const char *path, int w, int h, int fps, int quick, char *err,
                        size_t err_len) {
    recorder *r;
    rec_format f;
    if (recorder_format_of(path, &f) != 0) {
        char shown[220];
        snprintf(err, err_len, "a recording is a .mp4 or a .gif file (got '%s')",
                 gs_quote(shown, sizeof shown, path, strlen(path)));
        return NULL;
    }
    if (fps < 1 || fps > 60) {
        snprintf(err, err_len, "a recording runs at 1 to 60 frames per second (got %d)", fps);
        return NULL;
    }
    if (w < 2 || h < 2 || w > 16384 || h > 16384 || (f == REC_MP4 && (w % 2 || h % 2))) {
        snprintf(err, err_len, "cannot record %dx%d%s", w, h,
                 f == REC_MP4 ? ": H.264 needs an even width and height" : "");
        return NULL;
    }
    if (!(r = calloc(1, sizeof *r))) {
        snprintf(err, err_len, "out of memory");
        return NULL;
    }
    r->format = f;
    if (f == REC_MP4) r->mp4 = mp4_open(path, w, h, fps, quick, err, err_len);
    else r->gif = rec_gif_open(path, w, h, fps, err, err_len);
    if (!r->mp4 && !r->gif) {
        free(r);
        return NULL;
    }
    return r;
}

int recorder_frame(recorder *r, const void *pixels, int pitch, char *err, size_t err_len) {
    int rc;
    if (r->failed) {
        snprintf(err, err_len, "the recording failed before");
        return 1;
    }
    rc = r->mp4 ? mp4_frame(r->mp4, pixels, pitch, err, err_len)
                : rec_gif_frame(r->gif, pixels, pitch, err, err_len);
    if (rc) r->failed = 1;
    else r->frames++;
    return rc;
}

long recorder_frames(const recorder *r) { return r ? r->frames : 0; }

int recorder_close(recorder *r, char *err, size_t err_len) {
    int rc;
    if (r->failed) {
        recorder_abort(r);
        snprintf(err, err_len, "the recording failed; nothing was written");
        return 1;
    }
    rc = r->mp4 ? mp4_close(r->mp4, err, err_len) : rec_gif_close(r->gif, err, err_len);
    free(r);
    return rc;
}

void recorder_abort(recorder *r) {
    if (!r) return;
    mp4_abort(r->mp4);
    rec_gif_abort(r->gif);
    free(r);
}

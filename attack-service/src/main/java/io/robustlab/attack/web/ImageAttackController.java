package io.robustlab.attack.web;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import io.robustlab.api.model.AttackedImage;
import io.robustlab.api.model.ImageAttackRequest;
import io.robustlab.api.model.ImageAttackResponse;
import io.robustlab.api.model.InputImage;
import io.robustlab.data.DataFormatException;
import io.robustlab.data.PngImages;
import io.robustlab.jobs.worker.PermanentJobFailure;
import io.robustlab.ml.attack.AttackLoss;
import io.robustlab.ml.attack.Pgd;
import io.robustlab.ml.attack.PgdSettings;
import io.robustlab.ml.eval.Predictions;
import io.robustlab.ml.model.Classifier;
import io.robustlab.ml.runtime.DjlRuntime;
import io.robustlab.mlservice.MlSpecs;
import io.robustlab.mlservice.ModelArtifacts;
import io.robustlab.service.web.ApiException;
import io.robustlab.service.web.InternalApi;
import jakarta.validation.Valid;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

/**
 * The synchronous attack behind the gateway's {@code POST /api/v1/attacks}: a few images, attacked
 * at once on this service's device, returned with predictions before and after. Internal: the
 * gateway is its only client.
 */
@RestController
public class ImageAttackController {

    private final ModelArtifacts models;

    public ImageAttackController(ModelArtifacts models) {
        this.models = models;
    }

    @PostMapping(InternalApi.ATTACKS)
    public ImageAttackResponse attack(@Valid @RequestBody ImageAttackRequest request) throws IOException {
        Classifier model;
        try {
            model = models.load(request.getModelArtifactId(), "modelArtifactId", DjlRuntime.device("auto"));
        } catch (PermanentJobFailure e) {
            throw ApiException.badField("modelArtifactId", e.getMessage());
        }
        try (model; NDManager scope = model.manager().newSubManager()) {
            Classifier.ModelSpec m = model.spec();
            List<InputImage> images = request.getImages();
            int n = images.size();
            int per = m.channels() * m.height() * m.width();
            float[] pixels = new float[n * per];
            for (int i = 0; i < n; i++) {
                try {
                    System.arraycopy(PngImages.decode(images.get(i).getPng(), m.channels(), m.height(), m.width()), 0, pixels, i * per, per);
                } catch (DataFormatException e) {
                    throw ApiException.badField("images[" + i + "].png", e.getMessage());
                }
            }
            NDArray x = scope.create(pixels, new Shape(n, m.channels(), m.height(), m.width()));
            Predictions before = Predictions.of(model, x);
            AttackLoss loss = loss(images, before.classes(), m.classes(), scope);
            PgdSettings settings = MlSpecs.pgd(request.getAttack());
            NDArray adv = Pgd.attack(model, x, loss, settings);
            Predictions after = Predictions.of(model, adv);
            float[] norms = settings.norm().distance(adv, x).toFloatArray();
            float[] advPixels = adv.toFloatArray();

            List<AttackedImage> results = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                List<Float> values = new ArrayList<>(per);
                for (int p = 0; p < per; p++) {
                    values.add(advPixels[i * per + p]);
                }
                results.add(new AttackedImage()
                        .predictedBefore(before.classes()[i]).confidenceBefore((double) before.confidences()[i])
                        .predictedAfter(after.classes()[i]).confidenceAfter((double) after.confidences()[i])
                        .perturbationNorm((double) norms[i])
                        .png(PngImages.encode(advPixels, i, m.channels(), m.height(), m.width()))
                        .shape(List.of(m.channels(), m.height(), m.width()))
                        .pixels(values));
            }
            return new ImageAttackResponse().results(results).norm(request.getAttack().getNorm().getValue())
                    .eps(request.getAttack().getEps()).steps(request.getAttack().getSteps());
        }
    }

    /** Targeted if every image names a target, untargeted otherwise (against the label, or the model's own prediction). */
    private static AttackLoss loss(List<InputImage> images, int[] predicted, int classes, NDManager scope) {
        long withTarget = images.stream().filter(i -> i.getTarget() != null).count();
        if (withTarget != 0 && withTarget != images.size()) {
            throw ApiException.badField("images[].target", "give a target for every image or for none");
        }
        int[] classesOf = new int[images.size()];
        for (int i = 0; i < images.size(); i++) {
            InputImage image = images.get(i);
            Integer c = withTarget > 0 ? image.getTarget() : image.getLabel() != null ? image.getLabel() : Integer.valueOf(predicted[i]);
            if (c >= classes) {
                throw ApiException.badField("images[" + i + "]." + (withTarget > 0 ? "target" : "label"),
                        "must be below " + classes + ", the model's number of classes");
            }
            classesOf[i] = c;
        }
        NDArray labels = scope.create(classesOf);
        return withTarget > 0 ? AttackLoss.targeted(labels) : AttackLoss.untargeted(labels);
    }
}
